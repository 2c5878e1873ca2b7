package dev.esprouter.router.consumer;

import dev.esprouter.router.ledger.LedgerWriter;
import io.vertx.core.json.DecodeException;
import io.vertx.pgclient.PgException;

/**
 * Tells a chunk that will fail the same way forever (a value PostgreSQL refuses, content no code
 * path can handle) from an outage (PostgreSQL or Kafka unreachable, timeouts), which a retry outlives.
 * Only the first kind is dead-lettered after a few attempts; an outage pauses and retries.
 */
final class PoisonCheck {

  private PoisonCheck() {
  }

  static boolean isDataError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof LedgerWriter.DataError || c instanceof DecodeException
          || c instanceof IllegalArgumentException || c instanceof NullPointerException
          || c instanceof ClassCastException || c instanceof IndexOutOfBoundsException) {
        return true;
      }
      if (c instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().length() >= 2) {
        String cls = pg.getSqlState().substring(0, 2);
        return cls.equals("22") || cls.equals("23") || cls.equals("42") || cls.equals("54");
      }
    }
    return false;
  }
}
