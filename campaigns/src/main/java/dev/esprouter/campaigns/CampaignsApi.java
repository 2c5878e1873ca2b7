package dev.esprouter.campaigns;

import dev.esprouter.common.Ids;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.http.Tenant;
import dev.esprouter.common.status.BatchCounts;
import dev.esprouter.common.status.MessageStatusView;
import dev.esprouter.ingress.CampaignIntake;
import dev.esprouter.ingress.templates.TemplateRefusal;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/campaigns}: create, patch (while {@code draft} or {@code scheduled}), read, list (newest
 * first, cursor, filter by state), the lifecycle actions and the campaign's messages. Content is checked
 * by ingress's own parser and template checks ({@link CampaignIntake}); every query is scoped to the
 * caller's tenant, so another tenant's id is a 404.
 */
final class CampaignsApi {

  private static final Logger log = LoggerFactory.getLogger(CampaignsApi.class);
  /** The campaign's own fields beside a batch's. */
  static final Set<String> OWN = Set.of("name", "max_rate_per_sec");
  static final int MAX_NAME_CHARS = 200;
  static final int DEFAULT_PAGE = 20;
  static final int MAX_PAGE = 100;
  static final int RETRY_AFTER_SECONDS = 2;

  private final Pool pool;
  private final CampaignIntake intake;
  private final Optional<MessageStatusView> statuses;

  CampaignsApi(Pool pool, CampaignIntake intake, Optional<MessageStatusView> statuses) {
    this.pool = pool;
    this.intake = intake;
    this.statuses = statuses;
  }

  /** A checked campaign body: the request as given, what it sends, and the content to queue. */
  private record Checked(JsonObject request, CampaignIntake.Send send, String name, Integer rate) {
  }

  void create(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    JsonObject body;
    try {
      body = object(ctx);
    } catch (CampaignIntake.Refused e) {
      e.error().send(ctx);
      return;
    }
    answer(ctx, check(tenant, body).compose(c -> pool.preparedQuery(CampaignSql.INSERT).execute(Tuple.tuple()
            .addString(Ids.campaign()).addString(tenant.id()).addString(c.name()).addString(c.send().channel().wire())
            .addString(c.send().priority().wire()).addString(c.send().provider()).addOffsetDateTime(utc(c.send()))
            .addInteger(c.rate()).addJsonObject(c.request()).addJsonObject(c.send().content().toJson())
            .addJsonObject(c.send().metadata())))
        .compose(rows -> withProgress(CampaignRow.of(rows.iterator().next())))
        .map(json -> new Answer(201, json)));
  }

  void patch(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String id = ctx.pathParam("id");
    JsonObject changes;
    try {
      changes = object(ctx);
    } catch (CampaignIntake.Refused e) {
      e.error().send(ctx);
      return;
    }
    answer(ctx, load(tenant, id).compose(row -> {
      if (row == null) {
        return Future.succeededFuture(notFound());
      }
      if (row.state() != CampaignState.DRAFT && row.state() != CampaignState.SCHEDULED) {
        return Future.succeededFuture(conflict("campaign_not_editable", row.state(),
            "a campaign can be changed while draft or scheduled"));
      }
      JsonObject merged = row.request().copy();
      changes.forEach(e -> {
        if (e.getValue() == null) {
          merged.remove(e.getKey());
        } else {
          merged.put(e.getKey(), e.getValue());
        }
      });
      return check(tenant, merged).compose(c -> pool.preparedQuery(CampaignSql.PATCH).execute(Tuple.tuple()
              .addString(id).addString(tenant.id()).addString(c.name()).addString(c.send().channel().wire())
              .addString(c.send().priority().wire()).addString(c.send().provider()).addOffsetDateTime(utc(c.send()))
              .addInteger(c.rate()).addJsonObject(c.request()).addJsonObject(c.send().content().toJson())
              .addJsonObject(c.send().metadata())))
          .compose(rows -> rows.size() == 0 ? current(tenant, id, "campaign_not_editable",
              "a campaign can be changed while draft or scheduled")
              : withProgress(CampaignRow.of(rows.iterator().next())).map(json -> new Answer(200, json)));
    }));
  }

  void get(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    answer(ctx, load(tenant, ctx.pathParam("id")).compose(row -> row == null ? Future.succeededFuture(notFound())
        : withProgress(row).map(json -> new Answer(200, json))));
  }

  void list(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String state = ctx.queryParams().get("state");
    String after = ctx.queryParams().get("after");
    if (state != null && CampaignState.fromWire(state) == null) {
      ApiError.badRequest("invalid_field", "state: must be one of draft, scheduled, sending, paused, completed, "
          + "cancelled", "state").send(ctx);
      return;
    }
    int limit = limit(ctx);
    if (limit < 0) {
      return;
    }
    answer(ctx, pool.preparedQuery(CampaignSql.LIST).execute(Tuple.of(tenant.id(), state, after, limit + 1))
        .compose(rows -> {
          List<Future<JsonObject>> items = new ArrayList<>();
          for (Row r : rows) {
            if (items.size() < limit) {
              items.add(withProgress(CampaignRow.of(r)));
            }
          }
          boolean more = rows.size() > limit;
          return Future.all(items).map(x -> {
            JsonArray data = new JsonArray();
            items.forEach(f -> data.add(f.result()));
            String last = data.isEmpty() ? null : data.getJsonObject(data.size() - 1).getString("id");
            return new Answer(200, new JsonObject().put("data", data).put("has_more", more)
                .put("next_after", more ? last : null));
          });
        }));
  }

  /** {@code POST /v1/campaigns/:id/start|pause|resume|cancel}: one statement, or 409 with the current state. */
  void action(RoutingContext ctx, String action) {
    answer(ctx, transition(ApiKeyAuth.tenant(ctx).id(), ctx.pathParam("id"), action));
  }

  /**
   * {@code POST /admin/tenants/:id/campaigns/:cid/approve} (behind the admin token): a campaign waiting
   * in {@code pending_approval} goes on as start would have taken it, to {@code scheduled} or {@code sending}.
   */
  void approve(RoutingContext ctx) {
    answer(ctx, transition(ctx.pathParam("id"), ctx.pathParam("cid"), "approve"));
  }

  private Future<Answer> transition(String tenantId, String id, String action) {
    String target = switch (action) {
      case "start" -> "start";
      case "approve", "resume" -> "auto";
      case "pause" -> "paused";
      case "cancel" -> "cancelled";
      default -> throw new IllegalArgumentException(action);
    };
    List<String> from = CampaignState.from(action);
    return pool.preparedQuery(CampaignSql.TRANSITION).execute(Tuple.of(id, tenantId, target,
            from.toArray(new String[0]), action.equals("start") || action.equals("approve")))
        .compose(rows -> {
          if (rows.size() == 1) {
            CampaignRow row = CampaignRow.of(rows.iterator().next());
            log.info("campaign {} of tenant {}: {} → {}", id, tenantId, action, row.state().wire());
            return withProgress(row).map(json -> new Answer(200, json));
          }
          return load(tenantId, id).map(row -> {
            if (row == null) {
              return notFound();
            }
            if (action.equals("start") && row.state() == CampaignState.DRAFT) {
              return new Answer(409, ApiError.badRequest("no_recipients", "upload recipients before starting "
                  + "the campaign", null).toJson().put("state", row.state().wire()));
            }
            return conflict("invalid_transition", row.state(), "cannot " + action + " a campaign that is "
                + row.state().wire() + " (allowed from " + String.join(", ", from) + ")");
          });
        });
  }

  /**
   * {@code GET /v1/campaigns/:id/messages?status=&after=&limit=}: the messages fed so far, by id, with
   * their states; with a status filter at most {@link #MAX_SCAN} are looked at per request (the cursor
   * says where it stopped), as for batches.
   */
  void messages(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String id = ctx.pathParam("id");
    String status = ctx.queryParams().get("status");
    String after = ctx.queryParams().get("after");
    if (status != null && dev.esprouter.common.MessageStatus.fromWire(status) == null) {
      ApiError.badRequest("invalid_field", "status: is not a message status", "status").send(ctx);
      return;
    }
    String raw = ctx.queryParams().get("limit");
    int limit = 100;
    if (raw != null) {
      try {
        limit = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_MESSAGES_PAGE) {
        ApiError.badRequest("invalid_field", "limit: must be a whole number from 1 to " + MAX_MESSAGES_PAGE, "limit")
            .send(ctx);
        return;
      }
    }
    int page = limit;
    answer(ctx, load(tenant, id).compose(row -> row == null ? Future.succeededFuture(notFound())
        : collect(tenant.id(), id, status, after, page, new JsonArray(), 0).map(json -> new Answer(200, json))));
  }

  static final int MAX_MESSAGES_PAGE = 1000;
  static final int MAX_SCAN = 10_000;

  private Future<JsonObject> collect(String tenantId, String id, String status, String after, int page,
                                     JsonArray data, int scanned) {
    int fetch = status == null ? page + 1 : MAX_MESSAGES_PAGE;
    return intake.messages(pool, tenantId, id, after, fetch).compose(list -> {
      List<String> ids = new ArrayList<>(list.size());
      list.forEach(m -> ids.add(m.id()));
      Future<Map<String, dev.esprouter.common.status.MessageState>> states = statuses.map(v -> v.states(ids))
          .orElse(Future.succeededFuture(Map.of()));
      return states.compose(byId -> {
        String last = after;
        for (CampaignIntake.Listed m : list) {
          if (data.size() == page) {
            return Future.succeededFuture(pageOf(data, true, last));
          }
          last = m.id();
          var st = byId.get(last);
          String s = st == null ? "queued" : st.status().wire();
          if (status == null || status.equals(s)) {
            data.add(new JsonObject().put("id", last).put("to", m.to()).put("status", s)
                .put("provider", st == null ? null : st.provider())
                .put("provider_message_id", st == null ? null : st.providerMessageId())
                .put("attempts", st == null ? 0 : st.attempts())
                .put("updated_at", (st == null ? m.createdAt() : st.updatedAt()).toString()));
          }
        }
        boolean more = list.size() == fetch;
        if (status == null || !more || data.size() >= page || scanned + list.size() >= MAX_SCAN) {
          return Future.succeededFuture(pageOf(data, more, last));
        }
        return collect(tenantId, id, status, last, page, data, scanned + list.size());
      });
    });
  }

  private static JsonObject pageOf(JsonArray data, boolean more, String last) {
    return new JsonObject().put("data", data).put("has_more", more).put("next_after", more ? last : null);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private Future<Checked> check(Tenant tenant, JsonObject request) {
    String name;
    Integer rate;
    CampaignIntake.Send send;
    try {
      name = name(request.getValue("name"));
      rate = rate(request.getValue("max_rate_per_sec"));
      send = intake.parse(request, OWN);
    } catch (CampaignIntake.Refused e) {
      return Future.failedFuture(e);
    }
    return intake.prepare(tenant.id(), send).map(use -> new Checked(request, send.withContent(use.content()), name,
        rate));
  }

  private static String name(Object v) {
    if (v == null) {
      throw refused("missing_field", "name", "is required");
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw refused("invalid_field", "name", "must be a non-empty string");
    }
    if (s.length() > MAX_NAME_CHARS) {
      throw refused("invalid_field", "name", "is longer than " + MAX_NAME_CHARS + " characters");
    }
    return s;
  }

  private static Integer rate(Object v) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 1
        || ((Number) v).longValue() > 1_000_000) {
      throw refused("invalid_field", "max_rate_per_sec", "must be a whole number of recipients a second from 1 to "
          + "1000000");
    }
    return ((Number) v).intValue();
  }

  static CampaignIntake.Refused refused(String code, String field, String problem) {
    return refusedWith(ApiError.badRequest(code, field + ": " + problem, field));
  }

  private static CampaignIntake.Refused refusedWith(ApiError e) {
    return new CampaignIntake.Refused(e);
  }

  private static JsonObject object(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      throw refusedWith(ApiError.badRequest("invalid_json", "the request body is empty; send a JSON object", null));
    }
    try {
      Object v = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
      if (v instanceof JsonObject o) {
        return o;
      }
    } catch (DecodeException e) {
      throw refusedWith(ApiError.badRequest("invalid_json", "the request body is not valid JSON", null));
    }
    throw refusedWith(ApiError.badRequest("invalid_json", "the request body must be a JSON object", null));
  }

  private int limit(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null) {
      return DEFAULT_PAGE;
    }
    int limit;
    try {
      limit = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_PAGE) {
      ApiError.badRequest("invalid_field", "limit: must be a whole number from 1 to " + MAX_PAGE, "limit").send(ctx);
      return -1;
    }
    return limit;
  }

  Future<CampaignRow> load(Tenant tenant, String id) {
    return load(tenant.id(), id);
  }

  Future<CampaignRow> load(String tenantId, String id) {
    return pool.preparedQuery(CampaignSql.GET).execute(Tuple.of(id, tenantId))
        .map(rows -> rows.size() == 0 ? null : CampaignRow.of(rows.iterator().next()));
  }

  private Future<Answer> current(Tenant tenant, String id, String code, String why) {
    return load(tenant, id).map(row -> row == null ? notFound() : conflict(code, row.state(), why));
  }

  Future<JsonObject> withProgress(CampaignRow row) {
    Future<BatchCounts> counts = statuses.map(v -> v.counts(row.id()))
        .orElse(Future.succeededFuture(new BatchCounts(Map.of(), Map.of())));
    return counts.map(c -> row.toJson().mergeIn(CampaignProgress.of(row, c, OffsetDateTime.now(ZoneOffset.UTC))));
  }

  private static OffsetDateTime utc(CampaignIntake.Send s) {
    return s.sendAt() == null ? null : s.sendAt().atOffset(ZoneOffset.UTC);
  }

  static Answer notFound() {
    return new Answer(404, ApiError.notFound("campaign").toJson());
  }

  static Answer conflict(String code, CampaignState state, String why) {
    return new Answer(409, new ApiError(409, code, why + "; the campaign is " + state.wire()).toJson()
        .put("state", state.wire()));
  }

  /** A status and body to answer with. */
  record Answer(int status, JsonObject body) {
  }

  /** Answers with {@code answer}, its refusal (400), or 503 when PostgreSQL could not answer. */
  static void answer(RoutingContext ctx, Future<Answer> answer) {
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        Responses.json(ctx, ar.result().status(), ar.result().body());
      } else if (ar.cause() instanceof CampaignIntake.Refused r) {
        r.error().send(ctx);
      } else if (ar.cause() instanceof TemplateRefusal r) {
        r.error().send(ctx);
      } else {
        log.warn("{} {} answered 503: {}", ctx.request().method(), ctx.request().path(), ar.cause().toString());
        Responses.unavailable(ctx, RETRY_AFTER_SECONDS, "cannot answer right now (PostgreSQL unavailable); retry "
            + "later");
      }
    });
  }
}
