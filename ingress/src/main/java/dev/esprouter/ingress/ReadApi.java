package dev.esprouter.ingress;

import dev.esprouter.common.MessageStatus;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.http.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The reads: one message with its events, one batch with counts by status and provider (and the
 * router's per-chunk weights when its {@code batch_chunks} table exists), and a batch's messages
 * with cursor pagination. Every query is scoped to the caller's tenant: another tenant's id is a 404.
 */
final class ReadApi {

  static final String MESSAGE = "select id, batch_id, channel, recipient, status, provider, provider_message_id, "
      + "attempts, last_error, metadata, priority, send_at, created_at, updated_at, sent_at, language "
      + "from messages where id = $1 and tenant_id = $2";
  static final String EVENTS = "select type, occurred_at, provider, detail from message_events "
      + "where message_id = $1 order by occurred_at, id limit 1000";
  static final String BATCH = "select id, channel, priority, recipients, rejected, chunk_count, provider, send_at, "
      + "created_at from batches where id = $1 and tenant_id = $2";
  static final String BATCH_COUNTS = "select status, provider, count(*) from messages where batch_id = $1 "
      + "and tenant_id = $2 group by status, provider";
  static final String BATCH_CHUNKS = "select to_jsonb(c) - 'batch_id' from batch_chunks c where c.batch_id = $1 "
      + "order by c.chunk_index";
  static final String BATCH_MESSAGES = "select id, recipient, status, provider, provider_message_id, attempts, "
      + "updated_at from messages where batch_id = $1 and tenant_id = $2 and ($3::text is null or status = $3) "
      + "and ($4::text is null or id > $4) order by id limit $5";

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final Ingress in;

  ReadApi(Ingress in) {
    this.in = in;
  }

  void message(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String id = ctx.pathParam("id");
    Future<RowSet<Row>> message = in.pool().preparedQuery(MESSAGE).execute(Tuple.of(id, tenant.id()));
    Future<RowSet<Row>> events = in.pool().preparedQuery(EVENTS).execute(Tuple.of(id));
    respond(ctx, Future.all(message, events).map(v -> {
      if (message.result().size() == 0) {
        return null;
      }
      Row r = message.result().iterator().next();
      JsonArray list = timeline(r, events.result());
      return new JsonObject()
          .put("id", r.getString("id"))
          .put("batch_id", r.getString("batch_id"))
          .put("channel", r.getString("channel"))
          .put("to", r.getString("recipient"))
          .put("status", r.getString("status"))
          .put("provider", r.getString("provider"))
          .put("provider_message_id", r.getString("provider_message_id"))
          .put("attempts", r.getInteger("attempts"))
          .put("last_error", r.getString("last_error"))
          .put("priority", r.getString("priority"))
          .put("language", r.getString("language"))
          .put("send_at", time(r.getOffsetDateTime("send_at")))
          .put("created_at", time(r.getOffsetDateTime("created_at")))
          .put("updated_at", time(r.getOffsetDateTime("updated_at")))
          .put("sent_at", time(r.getOffsetDateTime("sent_at")))
          .put("events", list)
          .put("metadata", r.getValue("metadata"));
    }), "message");
  }

  /**
   * The message's events in time order, with its {@code sent} entry made from the message row: the
   * router records a send as {@code sent_at}, {@code provider} and {@code provider_message_id} on
   * the row instead of writing an event row per recipient. Rows written before that still carry a
   * {@code sent} event of their own, which is then shown as it is.
   */
  static JsonArray timeline(Row message, RowSet<Row> events) {
    OffsetDateTime sentAt = message.getOffsetDateTime("sent_at");
    JsonObject sent = null;
    if (sentAt != null) {
      sent = new JsonObject().put("type", "sent").put("at", time(sentAt)).put("provider", message.getString("provider"))
          .put("detail", new JsonObject().put("provider_message_id", message.getString("provider_message_id"))
              .put("attempt", message.getInteger("attempts")));
      for (Row e : events) {
        if ("sent".equals(e.getString(0))) {
          sent = null;
          break;
        }
      }
    }
    JsonArray list = new JsonArray();
    for (Row e : events) {
      OffsetDateTime at = e.getOffsetDateTime(1);
      // The send goes before the first event at or after it (the router's own events of the same
      // statement, then what the provider reported later).
      if (sent != null && !at.isBefore(sentAt)) {
        list.add(sent);
        sent = null;
      }
      list.add(new JsonObject().put("type", e.getString(0)).put("at", time(at))
          .put("provider", e.getString(2)).put("detail", e.getValue(3)));
    }
    if (sent != null) {
      list.add(sent);
    }
    return list;
  }

  void batch(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String id = ctx.pathParam("id");
    Tuple key = Tuple.of(id, tenant.id());
    Future<RowSet<Row>> batch = in.pool().preparedQuery(BATCH).execute(key);
    Future<RowSet<Row>> counts = in.pool().preparedQuery(BATCH_COUNTS).execute(key);
    Future<JsonArray> chunks = in.batchChunks()
        ? in.pool().preparedQuery(BATCH_CHUNKS).execute(Tuple.of(id)).map(rows -> {
          JsonArray a = new JsonArray();
          rows.forEach(r -> a.add(r.getValue(0)));
          return a;
        })
        : Future.succeededFuture(new JsonArray());
    respond(ctx, Future.all(batch, counts, chunks).map(v -> {
      if (batch.result().size() == 0) {
        return null;
      }
      Row b = batch.result().iterator().next();
      JsonObject byStatus = new JsonObject();
      JsonObject byProvider = new JsonObject();
      for (Row c : counts.result()) {
        long n = c.getLong(2);
        byStatus.put(c.getString(0), byStatus.getLong(c.getString(0), 0L) + n);
        String provider = c.getString(1) == null ? "unassigned" : c.getString(1);
        byProvider.put(provider, byProvider.getLong(provider, 0L) + n);
      }
      return new JsonObject()
          .put("id", b.getString("id"))
          .put("channel", b.getString("channel"))
          .put("priority", b.getString("priority"))
          .put("provider", b.getString("provider"))
          .put("recipients", b.getInteger("recipients"))
          .put("rejected", b.getInteger("rejected"))
          .put("chunk_count", b.getInteger("chunk_count"))
          .put("send_at", time(b.getOffsetDateTime("send_at")))
          .put("created_at", time(b.getOffsetDateTime("created_at")))
          .put("by_status", byStatus)
          .put("by_provider", byProvider)
          .put("chunks", chunks.result());
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
    Future<RowSet<Row>> rows = in.pool().preparedQuery(BATCH_MESSAGES)
        .execute(Tuple.of(id, tenant.id(), status, after, page + 1));
    respond(ctx, Future.all(batch, rows).map(v -> {
      if (batch.result().size() == 0) {
        return null;
      }
      JsonArray data = new JsonArray();
      String last = null;
      for (Row r : rows.result()) {
        if (data.size() == page) {
          break;
        }
        last = r.getString("id");
        data.add(new JsonObject().put("id", last).put("to", r.getString("recipient"))
            .put("status", r.getString("status")).put("provider", r.getString("provider"))
            .put("provider_message_id", r.getString("provider_message_id")).put("attempts", r.getInteger("attempts"))
            .put("updated_at", time(r.getOffsetDateTime("updated_at"))));
      }
      boolean more = rows.result().size() > page;
      return new JsonObject().put("data", data).put("has_more", more).put("next_after", more ? last : null);
    }), "batch");
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
}
