package dev.esprouter.router.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes ledger rows older than the retention ({@code ESP_LEDGER_RETENTION_HOURS}), every ten
 * minutes, 5,000 rows a statement, so a large backlog never becomes one long transaction. A chunk
 * redelivered after its rows are gone would be sent again; the retention is meant to be far longer
 * than any chunk stays uncommitted in Kafka.
 */
public final class LedgerPruner {

  private static final Logger log = LoggerFactory.getLogger(LedgerPruner.class);
  private static final long EVERY_MS = 600_000;
  private static final int SLICE = 5_000;

  private final Vertx vertx;
  private final Pool pool;
  private final int retentionHours;
  private long timer = -1;
  private boolean running;

  public LedgerPruner(Vertx vertx, Pool pool, int retentionHours) {
    this.vertx = vertx;
    this.pool = pool;
    this.retentionHours = retentionHours;
  }

  public void start() {
    timer = vertx.setPeriodic(EVERY_MS, id -> prune());
  }

  /** Deletes everything past the retention; completes with the number of rows deleted. */
  public Future<Long> prune() {
    if (running) {
      return Future.succeededFuture(0L);
    }
    running = true;
    return slice(LedgerSql.PRUNE_CALLS, 0)
        .compose(n -> slice(LedgerSql.PRUNE_CHUNKS, n))
        .compose(n -> pool.preparedQuery(LedgerSql.PRUNE_INCARNATIONS).execute(Tuple.of(retentionHours))
            .map(r -> n + r.rowCount()))
        .onFailure(err -> log.warn("ledger: pruning old rows failed (will try again): {}", err.toString()))
        .eventually(() -> {
          running = false;
          return Future.succeededFuture();
        });
  }

  private Future<Long> slice(String sql, long sofar) {
    return pool.preparedQuery(sql).execute(Tuple.of(retentionHours, SLICE)).compose(r -> r.rowCount() == SLICE
        ? slice(sql, sofar + r.rowCount()) : Future.succeededFuture(sofar + r.rowCount()));
  }

  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
