package dev.esprouter.router.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This run of this router process in the ledger: registered at start (which ends the earlier runs of
 * the same instance id — a restart knows its predecessor's open calls will never be answered), a
 * heartbeat while it lives, and a stop mark on a clean exit. Another process taking over a chunk
 * waits for the answers of a live owner's open calls and treats a dead owner's as in doubt.
 */
public final class Incarnation {

  private static final Logger log = LoggerFactory.getLogger(Incarnation.class);

  private final Vertx vertx;
  private final Pool pool;
  private final String id = "inc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  private final String instanceId;
  private long timer = -1;
  private boolean beatFailing;

  public Incarnation(Vertx vertx, Pool pool, String instanceId) {
    this.vertx = vertx;
    this.pool = pool;
    this.instanceId = instanceId;
  }

  public String id() {
    return id;
  }

  public String instanceId() {
    return instanceId;
  }

  public Future<Void> register(long heartbeatMs) {
    return pool.preparedQuery(LedgerSql.REGISTER).execute(Tuple.of(id, instanceId)).<Void>mapEmpty()
        .onSuccess(v -> timer = vertx.setPeriodic(heartbeatMs, t -> beat()));
  }

  private void beat() {
    pool.preparedQuery(LedgerSql.HEARTBEAT).execute(Tuple.of(id)).onComplete(ar -> {
      if (ar.failed() && !beatFailing) {
        beatFailing = true;
        log.warn("ledger: heartbeat of {} failed (others may take this process for dead): {}", id,
            ar.cause().toString());
      } else if (ar.succeeded() && beatFailing) {
        beatFailing = false;
        log.info("ledger: heartbeat of {} written again", id);
      }
    });
  }

  /** A clean stop: nobody needs to wait for this run's calls any more (they are all answered or given up). */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return pool.preparedQuery(LedgerSql.STOPPED).execute(Tuple.of(id)).mapEmpty();
  }
}
