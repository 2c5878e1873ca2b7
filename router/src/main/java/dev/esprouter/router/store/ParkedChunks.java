package dev.esprouter.router.store;

import dev.esprouter.common.SendChunk;
import dev.esprouter.router.SendRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks whose {@code send_at} is too far off to hold a Kafka partition for wait in PostgreSQL
 * ({@code scheduled_chunks}). One timer, armed for the earliest due time (and re-checked once a
 * minute for rows parked by other processes), re-publishes due chunks to their lane in a
 * transaction: rows are locked ({@code skip locked}, so processes share the work), produced, then
 * deleted — a crash in between re-publishes, and the status claim makes that harmless.
 */
public final class ParkedChunks {

  private static final Logger log = LoggerFactory.getLogger(ParkedChunks.class);
  private static final long RECHECK_MS = 60_000;

  private final Vertx vertx;
  private final Pool pool;
  private final KafkaProducer<String, Buffer> producer;
  private long timer = -1;
  private long armedFor = Long.MAX_VALUE;
  private long periodic = -1;
  private boolean closed;

  public ParkedChunks(Vertx vertx, Pool pool, KafkaProducer<String, Buffer> producer) {
    this.vertx = vertx;
    this.pool = pool;
    this.producer = producer;
  }

  public void start() {
    periodic = vertx.setPeriodic(RECHECK_MS, id -> rearm());
    rearm();
  }

  public Future<Void> park(String topic, SendChunk chunk) {
    return park(topic, chunk, chunk.sendAt());
  }

  /** Parks {@code chunk} until {@code due} (a far {@code send_at}, or a gate's hold), then re-publishes it. */
  public Future<Void> park(String topic, SendChunk chunk, Instant due) {
    return pool.preparedQuery(RouterSql.SCHEDULE)
        .execute(Tuple.of(due.atOffset(ZoneOffset.UTC), topic, chunk.key(), chunk.toJson().encode()))
        .onSuccess(v -> arm(due.toEpochMilli()))
        .mapEmpty();
  }

  private void rearm() {
    pool.query(RouterSql.NEXT_DUE).execute().onSuccess(rows -> {
      Long next = rows.iterator().next().getLong(0);
      if (next != null) {
        arm(next);
      }
    });
  }

  private void arm(long dueMs) {
    if (closed || (timer >= 0 && dueMs >= armedFor)) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    armedFor = dueMs;
    timer = vertx.setTimer(Math.max(1, dueMs - System.currentTimeMillis()), id -> {
      timer = -1;
      armedFor = Long.MAX_VALUE;
      release().onComplete(ar -> {
        if (ar.failed()) {
          log.warn("re-publishing parked chunks failed, retrying in 1 s: {}", ar.cause().toString());
          arm(System.currentTimeMillis() + 1000);
        } else {
          rearm();
        }
      });
    });
  }

  /** Re-publishes every due chunk, 100 per transaction. */
  Future<Void> release() {
    return pool.withTransaction(conn -> conn.query(RouterSql.DUE_CHUNKS).execute().compose(rows -> {
      List<Future<?>> sends = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      for (Row r : rows) {
        ids.add(r.getLong(0));
        SendChunk chunk = SendChunk.fromJson(new JsonObject(r.getString(3)));
        sends.add(producer.send(SendRecords.of(r.getString(1), chunk)));
      }
      return Future.all(sends).compose(v -> delete(conn, ids)).map(ids.size());
    })).compose(n -> n == 100 ? release() : Future.succeededFuture());
  }

  private static Future<Void> delete(SqlConnection conn, List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(RouterSql.DELETE_SCHEDULED).execute(Tuple.of(ids.toArray(new Long[0]))).mapEmpty();
  }

  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (periodic >= 0) {
      vertx.cancelTimer(periodic);
    }
  }
}
