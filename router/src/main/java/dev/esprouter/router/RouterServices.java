package dev.esprouter.router;

import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.SharedServiceProvider;
import dev.esprouter.common.status.ChunkHistory;
import dev.esprouter.router.ledger.LedgerReader;

/** What the router offers other roles in every process: how each chunk of a batch was routed. */
public final class RouterServices implements SharedServiceProvider {

  @Override
  public void register(RoleContext ctx) {
    LedgerReader reader = new LedgerReader(ctx.pool());
    ctx.services().register(ChunkHistory.class, reader::batchChunks);
  }
}
