package dev.esprouter.router.dlq;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Priority;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import dev.esprouter.common.facts.SendFacts;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.http.Tenant;
import dev.esprouter.router.store.RouterSql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.client.producer.KafkaProducer;
import dev.esprouter.router.SendRecords;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/dlq?limit=&after=} lists the tenant's dead letters (exhausted retries or a permanent
 * error, with the last error), cursor-paginated by message id; {@code POST /v1/dlq/{id}/requeue}
 * sends one back to its lane as a fresh single-recipient chunk (202). The requeue runs in a
 * transaction that commits only after the record is in Kafka, so a failure changes nothing.
 */
public final class DlqRoutes {

  private static final Logger log = LoggerFactory.getLogger(DlqRoutes.class);
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 500;

  private final Pool pool;
  private final KafkaProducer<String, Buffer> producer;
  private final Topics topics;
  private final ApiKeyAuth auth;

  public DlqRoutes(Pool pool, KafkaProducer<String, Buffer> producer, Topics topics, ApiKeyAuth auth) {
    this.pool = pool;
    this.producer = producer;
    this.topics = topics;
    this.auth = auth;
  }

  public void mount(Router router) {
    router.route("/v1/dlq*").handler(auth);
    router.get("/v1/dlq").handler(this::list);
    router.post("/v1/dlq/:id/requeue").handler(this::requeue);
  }

  private void list(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String rawLimit = ctx.queryParams().get("limit");
    int limit = DEFAULT_LIMIT;
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        ApiError.badRequest("invalid_parameter", "limit: must be a whole number from 1 to " + MAX_LIMIT, "limit").send(ctx);
        return;
      }
    }
    String after = ctx.queryParams().get("after") == null ? "" : ctx.queryParams().get("after");
    int pageSize = limit;
    pool.preparedQuery(RouterSql.DLQ_PAGE).execute(Tuple.of(tenant.id(), after, pageSize)).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("dead letter list failed: {}", ar.cause().toString());
        Responses.unavailable(ctx, 2, "cannot read dead letters right now");
        return;
      }
      JsonArray data = new JsonArray();
      String last = null;
      for (Row r : ar.result()) {
        last = r.getString("message_id");
        data.add(new JsonObject()
            .put("id", last)
            .put("batch_id", r.getString("batch_id"))
            .put("channel", r.getString("channel"))
            .put("to", r.getString("recipient"))
            .put("priority", r.getString("priority"))
            .put("provider", r.getString("provider"))
            .put("attempts", r.getInteger("attempts"))
            .put("reason", r.getString("reason"))
            .put("last_error", r.getString("last_error"))
            .put("dead_at", r.getOffsetDateTime("created_at").toInstant().toString())
            .put("metadata", r.getJsonObject("metadata")));
      }
      JsonObject body = new JsonObject().put("data", data);
      if (data.size() == pageSize) {
        body.put("next_after", last);
      }
      Responses.json(ctx, 200, body);
    });
  }

  private void requeue(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String id = ctx.pathParam("id");
    pool.withTransaction(conn -> conn.preparedQuery(RouterSql.DLQ_TAKE).execute(Tuple.of(tenant.id(), id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(false);
          }
          SendChunk chunk = chunk(tenant.id(), rows.iterator().next());
          // The fact first, on the partition of the requeued chunk's own facts: the status writer moves the
          // message back to queued before it sees the new attempt's outcome.
          return publishRequeued(chunk).compose(v -> publish(chunk)).map(true);
        })).onComplete(ar -> {
          if (ar.failed()) {
            log.warn("requeue of {} failed: {}", id, ar.cause().toString());
            Responses.unavailable(ctx, 2, "cannot requeue right now; nothing was changed");
          } else if (!ar.result()) {
            ApiError.notFound("dead letter " + id).send(ctx);
          } else {
            Responses.json(ctx, 202, new JsonObject().put("id", id).put("status", "queued"));
          }
        });
  }

  /**
   * A fresh single-recipient chunk with a ledger identity of its own ({@code rq/<message>/<time>}), so
   * the ledger of the delivery that gave up on it does not count it as placed.
   */
  private static SendChunk chunk(String tenantId, Row r) {
    Recipient recipient = new Recipient(r.getString("message_id"), r.getString("recipient"),
        r.getJsonObject("data"), r.getJsonObject("metadata"));
    String chunkId = "rq/" + r.getString("message_id") + "/" + System.currentTimeMillis();
    return new SendChunk(r.getString("batch_id"), tenantId, 0, 1, Channel.fromWire(r.getString("channel")),
        Priority.fromWire(r.getString("priority")), r.getString("provider"), null, null, 0,
        Content.fromJson(r.getJsonObject("content")), List.of(recipient), Instant.now(), r.getString("campaign_id"),
        chunkId);
  }

  private Future<Void> publishRequeued(SendChunk chunk) {
    SendFacts facts = new SendFacts(chunk.ledgerKey(), 0, chunk.tenantId(), chunk.batchId(), chunk.campaignId(),
        chunk.channel(), Instant.now(), List.of(), List.of(), List.of(), SendFacts.Moved.NONE, SendFacts.Moved.NONE,
        SendFacts.Moved.NONE, List.of(chunk.recipients().get(0).messageId()));
    return producer.send(SendRecords.facts(topics.outcomes(), facts)).mapEmpty();
  }

  private Future<Void> publish(SendChunk chunk) {
    return producer.send(SendRecords.of(topics.send(chunk.priority()), chunk)).mapEmpty();
  }
}
