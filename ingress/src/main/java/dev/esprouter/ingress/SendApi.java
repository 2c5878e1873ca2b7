package dev.esprouter.ingress;

import dev.esprouter.common.Ids;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.http.Tenant;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/messages} and {@code POST /v1/batches}: validate, drop suppressed recipients,
 * write the {@code queued} rows and the Kafka records, and answer 202 only once Kafka acknowledged
 * everything; if Kafka or PostgreSQL cannot take it, 503 with {@code Retry-After} and nothing stays
 * accepted (see {@link #storeBatch} and {@link #single} for how).
 * One instance per event loop: its statement coalescers are confined to that loop.
 */
final class SendApi {

  private static final Logger log = LoggerFactory.getLogger(SendApi.class);
  private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
  static final int RETRY_AFTER_SECONDS = 2;

  private final Ingress in;
  private final Coalescer<MessageRow, Void> rows;
  private final Coalescer<SuppressionCheck.Lookup, Set<String>> suppressions;

  SendApi(Ingress in) {
    this.in = in;
    // One statement in flight per event loop by default (ESP_INGRESS_COALESCE_IN_FLIGHT): fewer,
    // larger statements and commits; in SendApiBench PostgreSQL spent 87-92 µs per message against
    // 117-138 µs with two (docs/BENCHMARKS.md).
    int inFlight = in.settings().coalesceInFlight();
    long linger = in.settings().coalesceLingerMs();
    java.util.function.Consumer<Runnable> afterLinger = linger == 0 ? null
        : r -> in.vertx().setTimer(linger, id -> r.run());
    this.rows = new Coalescer<>(inFlight, 2000, afterLinger, list -> MessageStore.insert(in.pool(), list));
    this.suppressions = new Coalescer<>(inFlight, 1000, afterLinger,
        list -> SuppressionCheck.suppressed(in.pool(), list));
  }

  void message(RoutingContext ctx) {
    accept(ctx, "POST /v1/messages", SendRequestParser::message, (tenant, m, trace) ->
        TemplatedSends.message(in.templateChecks(), tenant.id(), m).compose(p -> p.refusal() != null
            ? refused(p.refusal()) : single(tenant, p.value(), trace)));
  }

  void batch(RoutingContext ctx) {
    accept(ctx, "POST /v1/batches", body -> {
      BatchRequest b = SendRequestParser.batch(body);
      for (BatchRequest.Rejection r : b.rejected()) {
        in.metrics().rejected(r.code(), 1);
      }
      return b;
    }, (tenant, b, trace) -> TemplatedSends.batch(in.templateChecks(), tenant.id(), b).compose(p -> {
      if (p.refusal() != null) {
        return refused(p.refusal());
      }
      in.metrics().rejected("template_parameters", TemplatedSends.parameterRejections(b, p.value()));
      return acceptBatch(tenant, p.value(), trace);
    }));
  }

  /**
   * A request its template refuses (unknown, not approved, wrong parameters: docs/TEMPLATES.md): the
   * answer is stored under its Idempotency-Key like any other, and nothing is queued.
   */
  private Future<Answer> refused(Answer answer) {
    in.metrics().rejected(answer.body().getJsonObject("error").getString("code"), 1);
    return Future.succeededFuture(answer);
  }

  /** What to do with a validated request of type {@code T}. */
  private interface Work<T> {
    Future<Answer> run(Tenant tenant, T request, String traceId);
  }

  /**
   * Validates first (a bad request is answered before any key is claimed), then runs the work at
   * most once per Idempotency-Key.
   */
  private <T> void accept(RoutingContext ctx, String route, Function<Buffer, T> parse, Work<T> work) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String key = ctx.request().getHeader("Idempotency-Key");
    T request;
    try {
      checkKey(key);
      request = parse.apply(ctx.body().buffer());
    } catch (Invalid e) {
      refuse(ctx, e.error());
      return;
    }
    String trace = traceId(ctx);
    finish(ctx, in.idempotency().run(tenant.id(), key, route, ctx.body().buffer(),
        () -> work.run(tenant, request, trace)));
  }

  /**
   * One message: the Kafka record and the row go out in parallel (the row write is grouped with
   * other requests of this event loop). Kafka decides: acknowledged → 202 (had the row failed, the
   * router's upsert of the same row creates it); refused → the row is deleted again and 503.
   */
  private Future<Answer> single(Tenant tenant, SingleMessage m, String trace) {
    Recipient r = m.recipient();
    SendRequest req = m.request();
    return suppressions.add(new SuppressionCheck.Lookup(tenant.id(), req.channel(), List.of(r.to()))).compose(hit -> {
      if (!hit.isEmpty()) {
        in.metrics().rejected("suppressed", 1);
        return Future.succeededFuture(Answer.error(ApiError.badRequest("suppressed", "to: '"
            + Addresses.shorten(r.to()) + "' is suppressed for this tenant (hard bounce or spam complaint)", "to")));
      }
      SendChunk chunk = Chunker.single(req, tenant.id(), r, Instant.now());
      Future<Void> kafka = in.publisher().publish(chunk, trace);
      Future<Boolean> row = rows.add(MessageRow.of(chunk).get(0)).map(true).otherwise(err -> {
        log.warn("message {} row not written ({}); the router will create it", r.messageId(), err.toString());
        return false;
      });
      return Future.join(kafka, row).transform(ar -> {
        if (kafka.succeeded()) {
          in.metrics().accepted(req.channel().wire(), req.priority().wire(), 1);
          return Future.succeededFuture(Answer.of(202, new JsonObject().put("id", r.messageId()).put("status", "queued")));
        }
        in.metrics().kafkaFailure("message");
        Future<Void> undo = row.result() ? MessageStore.deleteQueued(in.pool(), List.of(r.messageId()))
            : Future.succeededFuture();
        return undo.otherwise(err -> {
          log.error("message {} was refused by Kafka but its queued row could not be removed: {}", r.messageId(),
              err.toString());
          return null;
        }).compose(x -> Future.failedFuture(kafka.cause()));
      });
    });
  }

  private Future<Answer> acceptBatch(Tenant tenant, BatchRequest parsed, String trace) {
    List<String> addresses = new ArrayList<>(parsed.accepted().size());
    for (BatchRequest.Accepted a : parsed.accepted()) {
      addresses.add(a.recipient().to());
    }
    SuppressionCheck.Lookup lookup = new SuppressionCheck.Lookup(tenant.id(), parsed.request().channel(), addresses);
    return SuppressionCheck.suppressed(in.pool(), List.of(lookup)).compose(hits -> {
      BatchRequest b = withoutSuppressed(parsed, hits.get(0));
      if (b.accepted().isEmpty()) {
        JsonObject body = ApiError.badRequest("suppressed", "no recipient can be sent to: every one is invalid or "
            + "suppressed", "recipients").toJson().put("rejected", b.rejectedJson());
        return Future.succeededFuture(Answer.of(400, body));
      }
      String batchId = Ids.batch();
      List<Chunker.Encoded> chunks = Chunker.encoded(b.request(), tenant.id(), batchId, b.recipients(),
          in.settings().maxChunkBytes(), Instant.now());
      return storeBatch(tenant, batchId, b, chunks, trace).map(v -> {
        in.metrics().accepted(b.request().channel().wire(), b.request().priority().wire(), b.accepted().size());
        return Answer.of(202, new JsonObject()
            .put("batch_id", batchId)
            .put("accepted", b.accepted().size())
            .put("rejected", b.rejectedJson())
            .put("message_ids_url", "/v1/batches/" + batchId + "/messages"));
      });
    });
  }

  private BatchRequest withoutSuppressed(BatchRequest b, Set<String> suppressed) {
    if (suppressed.isEmpty()) {
      return b;
    }
    Set<Integer> indexes = new HashSet<>();
    for (BatchRequest.Accepted a : b.accepted()) {
      if (suppressed.contains(a.recipient().to())) {
        indexes.add(a.index());
      }
    }
    in.metrics().rejected("suppressed", indexes.size());
    return b.without(indexes, "suppressed", i -> "recipients[" + i + "].to: is suppressed for this tenant "
        + "(hard bounce or spam complaint)");
  }

  /**
   * A batch is all chunks or none. The batch row and the message rows are written in PostgreSQL
   * transactions (a few connections at once, see {@link BatchRows}) while the chunks go into one Kafka
   * transaction; Kafka commits only once the rows are written, and PostgreSQL commits only once Kafka
   * has. If Kafka fails, the Kafka transaction is aborted (no read_committed consumer ever sees a
   * chunk) and every PostgreSQL transaction rolls back. The one window left: PostgreSQL failing
   * between the two commits; the batch is then in Kafka (202, it will be sent and the router's upsert
   * writes the message rows) but some of its rows, perhaps its batch row, are missing.
   */
  private Future<Void> storeBatch(Tenant tenant, String batchId, BatchRequest b, List<Chunker.Encoded> chunks,
                                  String trace) {
    int writers = Math.min(in.settings().batchWriters(), chunks.size());
    return BatchRows.open(in.pool(), writers).compose(rows -> {
      Future<Void> written = rows.write(conn -> MessageStore.insertBatch(conn, batchId, tenant.id(), b.request(),
          b.accepted().size(), b.rejected().size(), chunks.size()),
          chunks.stream().map(Chunker.Encoded::chunk).toList());
      Future<Void> kafka = in.publisher().publishAll(chunks, trace, written);
      return kafka.transform(ar -> {
        if (ar.succeeded()) {
          return rows.commit().otherwise(err -> {
            log.error("batch {} is committed in Kafka but not all of its rows are ({}); the router will write the "
                + "message rows", batchId, err.toString());
            return null;
          });
        }
        in.metrics().kafkaFailure("batch");
        return written.transform(x -> rows.rollback()).otherwiseEmpty().compose(x -> Future.failedFuture(ar.cause()));
      }).eventually(rows::close);
    });
  }

  private void refuse(RoutingContext ctx, ApiError error) {
    in.metrics().rejected(error.code(), 1);
    error.send(ctx);
  }

  private static void finish(RoutingContext ctx, Future<Answer> answer) {
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        ar.result().send(ctx);
      } else {
        log.warn("{} {} answered 503: {}", ctx.request().method(), ctx.request().path(), ar.cause().toString());
        Responses.unavailable(ctx, RETRY_AFTER_SECONDS,
            "cannot accept this right now (Kafka or PostgreSQL unavailable); nothing was accepted, retry later");
      }
    });
  }

  private static void checkKey(String key) {
    ApiError problem = IdempotencyKeys.headerProblem(key);
    if (problem != null) {
      throw new Invalid(problem);
    }
  }

  /** The W3C trace id of the request when it has one, else a new one; carried in the Kafka headers. */
  private static String traceId(RoutingContext ctx) {
    String tp = ctx.request().getHeader("traceparent");
    if (tp != null) {
      java.util.regex.Matcher m = TRACEPARENT.matcher(tp);
      if (m.matches()) {
        return m.group(1);
      }
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    // HexFormat, not String.format: this runs for every request and Formatter parses its pattern each time.
    return HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong());
  }
}
