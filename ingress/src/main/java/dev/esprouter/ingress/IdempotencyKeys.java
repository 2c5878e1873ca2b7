package dev.esprouter.ingress;

import dev.esprouter.common.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} with Stripe's semantics, per tenant, kept 24 h: the first request with a
 * key claims it (a row with no answer yet) and stores its answer; the same key with the same body
 * replays that answer and enqueues nothing; with another body it is a 409; while the first is still
 * running a duplicate gets a 409 too, so concurrent duplicates cannot both send. A request that
 * fails with 503 releases its claim so the client can retry with the same key. Validation errors
 * are answered before the claim and not stored, as Stripe does.
 */
final class IdempotencyKeys {

  static final int MAX_KEY_CHARS = 255;

  /** Claims the key, or takes over one older than 24 h, or an unanswered claim abandoned for 60 s (its process died). */
  static final String CLAIM = "insert into idempotency_keys (tenant_id, key, request_hash) values ($1, $2, $3) "
      + "on conflict (tenant_id, key) do update set request_hash = excluded.request_hash, status = null, "
      + "response = null, created_at = now() where idempotency_keys.created_at < now() - interval '24 hours' "
      + "or (idempotency_keys.status is null and idempotency_keys.created_at < now() - interval '60 seconds') "
      + "returning 1";
  static final String EXISTING = "select request_hash, status, response from idempotency_keys "
      + "where tenant_id = $1 and key = $2";
  static final String SAVE = "update idempotency_keys set status = $3, response = $4 where tenant_id = $1 and key = $2";
  static final String RELEASE = "delete from idempotency_keys where tenant_id = $1 and key = $2 and status is null";
  static final String SWEEP = "delete from idempotency_keys where created_at < now() - interval '24 hours'";

  private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

  private final Pool pool;

  IdempotencyKeys(Pool pool) {
    this.pool = pool;
  }

  /** Checks the header's shape; null when fine (or absent). */
  static ApiError headerProblem(String key) {
    if (key == null) {
      return null;
    }
    if (key.isEmpty() || key.length() > MAX_KEY_CHARS) {
      return ApiError.badRequest("invalid_header", "Idempotency-Key must be 1 to 255 characters", "Idempotency-Key");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return ApiError.badRequest("invalid_header", "Idempotency-Key must be printable ASCII", "Idempotency-Key");
      }
    }
    return null;
  }

  /** Runs {@code work} at most once per (tenant, key, body); see the class comment. */
  Future<Answer> run(String tenantId, String key, String route, Buffer body, Supplier<Future<Answer>> work) {
    if (key == null) {
      return work.get();
    }
    byte[] hash = requestHash(route, body);
    Tuple id = Tuple.of(tenantId, key);
    return pool.preparedQuery(CLAIM).execute(Tuple.of(tenantId, key, Buffer.buffer(hash))).compose(claimed -> {
      if (claimed.size() == 1) {
        return work.get()
            .compose(answer -> pool.preparedQuery(SAVE)
                .execute(Tuple.of(tenantId, key, answer.status(), answer.body()))
                .map(answer)
                .recover(err -> {
                  log.warn("could not store the answer for an idempotency key of tenant {}: {}", tenantId, err.toString());
                  return Future.succeededFuture(answer);
                }))
            .recover(err -> pool.preparedQuery(RELEASE).execute(id).transform(x -> Future.failedFuture(err)));
      }
      return pool.preparedQuery(EXISTING).execute(id).map(rows -> earlier(rows.size() == 0 ? null
          : rows.iterator().next(), hash));
    });
  }

  /** SHA-256 of the route and the raw body: "the same request" means byte for byte the same. */
  static byte[] requestHash(String route, Buffer body) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(route.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update((byte) '\n');
      md.update(body.getBytes());
      return md.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private static Answer earlier(Row row, byte[] hash) {
    if (row == null || row.getInteger(1) == null) {
      if (row != null && !MessageDigest.isEqual(row.getBuffer(0).getBytes(), hash)) {
        return reused();
      }
      return Answer.error(new ApiError(409, "idempotency_key_in_progress",
          "a request with this Idempotency-Key is still being processed; retry in a moment", "Idempotency-Key"));
    }
    if (!MessageDigest.isEqual(row.getBuffer(0).getBytes(), hash)) {
      return reused();
    }
    Object body = row.getValue(2);
    JsonObject json = body instanceof JsonObject o ? o : new JsonObject(String.valueOf(body));
    return new Answer(row.getInteger(1), json, true);
  }

  private static Answer reused() {
    return Answer.error(new ApiError(409, "idempotency_key_reused",
        "this Idempotency-Key was used with a different request body", "Idempotency-Key"));
  }

  Future<Integer> sweep() {
    return pool.query(SWEEP).execute().map(r -> r.rowCount());
  }
}
