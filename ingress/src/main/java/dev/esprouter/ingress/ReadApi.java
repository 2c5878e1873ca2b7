package dev.esprouter.ingress;

import dev.esprouter.common.MessageStatus;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.http.Tenant;
import dev.esprouter.common.status.BatchCounts;
import dev.esprouter.common.status.ChunkHistory;
import dev.esprouter.common.status.MessageState;
import dev.esprouter.common.status.MessageStatusView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The reads: one message with its status and events, one batch with counts by status and provider
 * (and the router's per-chunk weights), and a batch's messages with cursor pagination. The request
 * rows are ingress's own; statuses, timelines and counters are the status writer's, read through
 * {@link MessageStatusView}, and the chunk weights the router's, through {@link ChunkHistory}. Every
 * query is scoped to the caller's tenant: another tenant's id is a 404.
 */
final class ReadApi {

  static final String MESSAGE = "select id, batch_id, channel, recipient, metadata, priority, send_at, created_at, "
      + "language "
      + "from messages where id = $1 and tenant_id = $2";
  static final String BATCH = "select id, channel, priority, recipients, rejected, chunk_count, provider, send_at, "
      + "created_at from batches where id = $1 and tenant_id = $2";
  /** A page of a batch's messages by id, the request rows only; their states are looked up per page. */
  static final String BATCH_PAGE = "select id, recipient, created_at from messages where batch_id = $1 "
      + "and tenant_id = $2 and ($3::text is null or id > $3) order by id limit $4";

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;
  /** With a status filter, at most this many messages are looked at per request (the cursor says where it stopped). */
  static final int MAX_SCAN = 10_000;

  private final Ingress in;

  ReadApi(Ingress in) {
    this.in = in;
  }

  void message(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String id = ctx.pathParam("id");
    Future<RowSet<Row>> message = in.pool().preparedQuery(MESSAGE).execute(Tuple.of(id, tenant.id()));
    respond(ctx, message.compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      Row r = rows.iterator().next();
      Future<Map<String, MessageState>> states = in.statuses().map(v -> v.states(List.of(id)))
          .orElse(Future.succeededFuture(Map.of()));
      Future<JsonArray> events = in.statuses().map(v -> v.timeline(id)).orElse(Future.succeededFuture(new JsonArray()));
      return Future.all(states, events).map(x -> {
        MessageState st = states.result().get(id);
        return new JsonObject()
            .put("id", r.getString("id"))
            .put("batch_id", r.getString("batch_id"))
            .put("channel", r.getString("channel"))
            .put("to", r.getString("recipient"))
            .put("status", st == null ? MessageStatus.QUEUED.wire() : st.status().wire())
            .put("provider", st == null ? null : st.provider())
            .put("provider_message_id", st == null ? null : st.providerMessageId())
            .put("attempts", st == null ? 0 : st.attempts())
            .put("last_error", st == null ? null : st.lastError())
            .put("priority", r.getString("priority"))
            .put("language", r.getString("language"))
            .put("send_at", time(r.getOffsetDateTime("send_at")))
            .put("created_at", time(r.getOffsetDateTime("created_at")))
            .put("updated_at", st == null ? time(r.getOffsetDateTime("created_at")) : time(st.updatedAt()))
            .put("sent_at", st == null ? null : time(st.sentAt()))
            .put("events", timeline(st, events.result()))
            .put("metadata", r.getValue("metadata"));
      });
    }), "message");
  }

  /**
   * The message's events in time order, with its {@code sent} entry made from its state: a send is
   * recorded as the state's {@code sent_at}, provider and provider id, not as an event row per
   * recipient. Rows written before that still carry a {@code sent} event of their own, shown as it is.
   */
  static JsonArray timeline(MessageState st, JsonArray events) {
    JsonObject sent = null;
    if (st != null && st.sentAt() != null) {
      sent = new JsonObject().put("type", "sent").put("at", time(st.sentAt())).put("provider", st.provider())
          .put("detail", new JsonObject().put("provider_message_id", st.providerMessageId())
              .put("attempt", st.attempts()));
      for (int i = 0; i < events.size(); i++) {
        if ("sent".equals(events.getJsonObject(i).getString("type"))) {
          sent = null;
          break;
        }
      }
    }
    JsonArray list = new JsonArray();
    for (int i = 0; i < events.size(); i++) {
      JsonObject e = events.getJsonObject(i);
      // The send goes before the first event at or after it.
      if (sent != null && !Instant.parse(e.getString("at")).isBefore(st.sentAt())) {
        list.add(sent);
        sent = null;
      }
      list.add(e);
    }
    if (sent != null) {
      list.add(sent);
    }
    return list;
  }

  void batch(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String id = ctx.pathParam("id");
    Future<RowSet<Row>> batch = in.pool().preparedQuery(BATCH).execute(Tuple.of(id, tenant.id()));
    respond(ctx, batch.compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      Row b = rows.iterator().next();
      Future<BatchCounts> counts = in.statuses().map(v -> v.counts(id))
          .orElse(Future.succeededFuture(new BatchCounts(Map.of(), Map.of())));
      Future<JsonArray> chunks = in.chunks().map(c -> c.chunks(id)).orElse(Future.succeededFuture(new JsonArray()));
      return Future.all(counts, chunks).map(x -> {
        BatchCounts c = counts.result();
        int recipients = b.getInteger("recipients");
        JsonObject byStatus = new JsonObject();
        long queued = Math.max(0, recipients - c.counted());
        if (queued > 0) {
          byStatus.put(MessageStatus.QUEUED.wire(), queued);
        }
        c.byStatus().forEach(byStatus::put);
        JsonObject byProvider = new JsonObject();
        long assigned = 0;
        for (Map.Entry<String, Long> e : c.byProvider().entrySet()) {
          byProvider.put(e.getKey(), e.getValue());
          assigned += e.getValue();
        }
        if (recipients - assigned > 0) {
          byProvider.put("unassigned", recipients - assigned);
        }
        return new JsonObject()
            .put("id", b.getString("id"))
            .put("channel", b.getString("channel"))
            .put("priority", b.getString("priority"))
            .put("provider", b.getString("provider"))
            .put("recipients", recipients)
            .put("rejected", b.getInteger("rejected"))
            .put("chunk_count", b.getInteger("chunk_count"))
            .put("send_at", time(b.getOffsetDateTime("send_at")))
            .put("created_at", time(b.getOffsetDateTime("created_at")))
            .put("by_status", byStatus)
            .put("by_provider", byProvider)
            .put("chunks", chunks.result());
      });
    }), "batch");
  }

  void batchMessages(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String id = ctx.pathParam("id");
    String status = ctx.queryParams().get("status");
    String after = ctx.queryParams().get("after");
    String limitRaw = ctx.queryParams().get("limit");
    if (status != null && MessageStatus.fromWire(status) == null) {
      ApiError.badRequest("invalid_field", "status: '" + Addresses.shorten(status) + "' is not a message status",
          "status").send(ctx);
      return;
    }
    int limit = DEFAULT_PAGE;
    if (limitRaw != null) {
      try {
        limit = Integer.parseInt(limitRaw);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_PAGE) {
        ApiError.badRequest("invalid_field", "limit: must be a whole number from 1 to " + MAX_PAGE, "limit").send(ctx);
        return;
      }
    }
    int page = limit;
    Future<RowSet<Row>> batch = in.pool().preparedQuery(BATCH).execute(Tuple.of(id, tenant.id()));
    respond(ctx, batch.compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      return collect(id, tenant.id(), status, after, page, new JsonArray(), 0);
    }), "batch");
  }

  /**
   * Pages through the batch's messages by id, joining each page with its states, until {@code page}
   * messages match the status filter, the batch ends, or {@link #MAX_SCAN} were looked at (then the
   * cursor points past the last one looked at, and the page may hold fewer than asked).
   */
  private Future<JsonObject> collect(String batchId, String tenantId, String status, String after, int page,
                                     JsonArray data, int scanned) {
    int fetch = status == null ? page + 1 : MAX_PAGE;
    return in.pool().preparedQuery(BATCH_PAGE).execute(Tuple.of(batchId, tenantId, after, fetch)).compose(rows -> {
      List<Row> list = new ArrayList<>();
      rows.forEach(list::add);
      List<String> ids = new ArrayList<>(list.size());
      list.forEach(r -> ids.add(r.getString(0)));
      Future<Map<String, MessageState>> states = in.statuses().map(v -> v.states(ids))
          .orElse(Future.succeededFuture(Map.of()));
      return states.compose(byId -> {
        String last = after;
        for (Row r : list) {
          if (data.size() == page) {
            return Future.succeededFuture(pageOf(data, true, last));
          }
          last = r.getString(0);
          MessageState st = byId.get(last);
          String s = st == null ? MessageStatus.QUEUED.wire() : st.status().wire();
          if (status == null || status.equals(s)) {
            data.add(new JsonObject().put("id", last).put("to", r.getString(1)).put("status", s)
                .put("provider", st == null ? null : st.provider())
                .put("provider_message_id", st == null ? null : st.providerMessageId())
                .put("attempts", st == null ? 0 : st.attempts())
                .put("updated_at", st == null ? time(r.getOffsetDateTime(2)) : time(st.updatedAt())));
          }
        }
        boolean more = list.size() == fetch;
        if (status == null) {
          return Future.succeededFuture(pageOf(data, more && data.size() == page, last));
        }
        if (!more || data.size() >= page) {
          return Future.succeededFuture(pageOf(data, more, last));
        }
        int seen = scanned + list.size();
        return seen >= MAX_SCAN ? Future.succeededFuture(pageOf(data, true, last))
            : collect(batchId, tenantId, status, last, page, data, seen);
      });
    });
  }

  private static JsonObject pageOf(JsonArray data, boolean more, String last) {
    return new JsonObject().put("data", data).put("has_more", more).put("next_after", more ? last : null);
  }

  private static void respond(RoutingContext ctx, Future<JsonObject> body, String what) {
    body.onComplete(ar -> {
      if (ar.failed()) {
        Responses.unavailable(ctx, SendApi.RETRY_AFTER_SECONDS, "cannot read right now; retry later");
      } else if (ar.result() == null) {
        ApiError.notFound(what).send(ctx);
      } else {
        Responses.json(ctx, 200, ar.result());
      }
    });
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  static String time(Instant t) {
    return t == null ? null : time(t.atOffset(ZoneOffset.UTC));
  }
}
