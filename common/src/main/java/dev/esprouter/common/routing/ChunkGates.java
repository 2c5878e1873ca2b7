package dev.esprouter.common.routing;

import dev.esprouter.common.SendChunk;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every {@link ChunkGate} of the process, registered by the roles that own the state behind them
 * (campaigns, templates) and asked by the router in turn; the first decision that is not
 * {@code PROCEED} wins. A gate whose check fails makes the chunk wait ({@code HOLD} for a second):
 * the router must not send what a gate could not clear, nor drop it.
 */
public final class ChunkGates {

  private final List<ChunkGate> gates = new CopyOnWriteArrayList<>();

  public void register(ChunkGate gate) {
    gates.add(gate);
  }

  public boolean isEmpty() {
    return gates.isEmpty();
  }

  public Future<ChunkGate.Decision> check(SendChunk chunk) {
    return check(chunk, 0);
  }

  private Future<ChunkGate.Decision> check(SendChunk chunk, int from) {
    if (from >= gates.size()) {
      return Future.succeededFuture(ChunkGate.Decision.proceed());
    }
    return gates.get(from).check(chunk)
        .recover(err -> Future.succeededFuture(ChunkGate.Decision.hold(java.time.Instant.now().plusSeconds(1),
            "gate check failed: " + err.getMessage())))
        .compose(d -> d.kind() == ChunkGate.Decision.Kind.PROCEED ? check(chunk, from + 1) : Future.succeededFuture(d));
  }
}
