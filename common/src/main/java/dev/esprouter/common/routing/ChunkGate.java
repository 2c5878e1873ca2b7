package dev.esprouter.common.routing;

import dev.esprouter.common.SendChunk;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * A check the router makes on every chunk before it routes it, offered by another role through
 * {@link ChunkGates}: a campaign that is paused holds its chunks, a cancelled one drops them, a
 * WhatsApp template that Meta paused fails them. Implementations must be cheap (cached): the router
 * asks once per chunk. A check that fails holds the chunk for a second ({@link ChunkGates}).
 */
public interface ChunkGate {

  /** The decision for this chunk now. */
  Future<Decision> check(SendChunk chunk);

  /**
   * What to do with a chunk: {@code PROCEED} (route it), {@code HOLD} (do not send and do not drop:
   * ask again at {@code until}), {@code FAIL} (every recipient failed permanently with {@code reason}),
   * {@code CANCEL} (every recipient ends {@code cancelled}, never sent).
   */
  record Decision(Kind kind, Instant until, String reason) {

    public enum Kind { PROCEED, HOLD, FAIL, CANCEL }

    private static final Decision PROCEED = new Decision(Kind.PROCEED, null, null);

    public static Decision proceed() {
      return PROCEED;
    }

    public static Decision hold(Instant until, String reason) {
      return new Decision(Kind.HOLD, until, reason);
    }

    public static Decision fail(String reason) {
      return new Decision(Kind.FAIL, null, reason);
    }

    public static Decision cancel(String reason) {
      return new Decision(Kind.CANCEL, null, reason);
    }
  }
}
