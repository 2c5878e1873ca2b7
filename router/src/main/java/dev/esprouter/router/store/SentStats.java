package dev.esprouter.router.store;

import dev.esprouter.common.ProviderName;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sent} counters of {@code provider_stats}, added up in memory per (provider, minute)
 * and written in one statement once a second (DESIGN: stats aggregated in memory and upserted
 * once), instead of in every chunk's record statement, where each chunk held the same few rows
 * locked until its commit. Counts are added only after the chunk's statuses are committed; a
 * failed write keeps them for the next flush; close flushes what is left. A crash loses at most
 * the last second of counts — they feed the weights' rates, the message rows are exact.
 * Confined to the router's event loop.
 */
public final class SentStats {

  private static final Logger log = LoggerFactory.getLogger(SentStats.class);
  static final long FLUSH_EVERY_MS = 1_000;

  private record Key(ProviderName provider, Instant minute) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private Map<Key, Long> pending = new HashMap<>();
  private long timer = -1;
  private Future<Void> flushing = Future.succeededFuture();

  public SentStats(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  public void start() {
    timer = vertx.setPeriodic(FLUSH_EVERY_MS, id -> flush());
  }

  void add(Map<ProviderName, Long> sent) {
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    sent.forEach((p, n) -> pending.merge(new Key(p, minute), n, Long::sum));
  }

  /** Writes what was counted since the last flush; one flush at a time. */
  Future<Void> flush() {
    if (pending.isEmpty() || !flushing.isComplete()) {
      return flushing;
    }
    Map<Key, Long> batch = pending;
    pending = new HashMap<>();
    List<String> providers = new ArrayList<>();
    List<OffsetDateTime> buckets = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    batch.forEach((k, n) -> {
      providers.add(k.provider().wire());
      buckets.add(k.minute().atOffset(ZoneOffset.UTC));
      counts.add(n);
    });
    flushing = pool.preparedQuery(RouterSql.ADD_SENT)
        .execute(Tuple.of(providers.toArray(new String[0]), buckets.toArray(new OffsetDateTime[0]),
            counts.toArray(new Long[0])))
        .<Void>mapEmpty()
        .onFailure(err -> {
          log.warn("writing sent counters failed, keeping them for the next flush: {}", err.toString());
          batch.forEach((k, n) -> pending.merge(k, n, Long::sum));
        });
    return flushing;
  }

  /** Stops the timer and writes what is left (after any flush in progress). */
  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return flushing.transform(ar -> flush()).otherwise((Void) null);
  }
}
