package dev.esprouter.analytics.events;

import dev.esprouter.common.DeliveryEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks kept-aside events again: an event that names no message of ours yet (a Telegram chat before
 * its message is in the directory) may find it later. Due
 * events (exponential backoff from {@code firstRecheckMs}, {@code maxAttempts} times) that now find
 * their message are recorded like fresh ones but not counted in the stats again; the others are
 * rescheduled, and after the last attempt stay in {@code unmatched_events} for operators.
 */
public final class UnmatchedRecheck {

  static final String DUE = "select event from unmatched_events where next_check_at <= now() "
      + "order by next_check_at limit $1 for update skip locked";

  static final String RESCHEDULE = "update unmatched_events u set attempts = u.attempts + 1, "
      + "next_check_at = case when u.attempts + 1 >= $3 then null "
      + "else now() + make_interval(secs => $4::float8 * power(2, u.attempts + 1) / 1000) end "
      + "from unnest($1::text[], $2::text[]) as k(p, d) where u.provider = k.p and u.dedupe_key = k.d";

  private final Pool pool;
  private final StatusWriter writer;
  private final int batchSize;
  private final int maxAttempts;
  private final long firstRecheckMs;

  public UnmatchedRecheck(Pool pool, StatusWriter writer, int batchSize, int maxAttempts, long firstRecheckMs) {
    this.pool = pool;
    this.writer = writer;
    this.batchSize = batchSize;
    this.maxAttempts = maxAttempts;
    this.firstRecheckMs = firstRecheckMs;
  }

  /** One pass; returns the events that found their message. */
  public Future<List<IncomingEvent>> run() {
    return pool.withTransaction(conn -> conn.preparedQuery(DUE).execute(Tuple.of(batchSize)).compose(rows -> {
      List<IncomingEvent> due = new ArrayList<>(rows.size());
      for (Row r : rows) {
        JsonObject json = (JsonObject) r.getJson(0);
        due.add(new IncomingEvent(DeliveryEvent.fromJson(json), Instant.parse(json.getString("received_at"))));
      }
      if (due.isEmpty()) {
        return Future.succeededFuture(List.<IncomingEvent>of());
      }
      return writer.recheck(conn, due).compose(result -> {
        List<IncomingEvent> still = result.unmatched();
        if (still.isEmpty()) {
          return Future.succeededFuture(result.recorded());
        }
        String[] providers = still.stream().map(e -> e.event().provider().wire()).toArray(String[]::new);
        String[] keys = still.stream().map(e -> e.event().dedupeKey()).toArray(String[]::new);
        return conn.preparedQuery(RESCHEDULE)
            .execute(Tuple.of(providers, keys, maxAttempts, (double) firstRecheckMs))
            .map(v -> result.recorded());
      });
    }));
  }
}
