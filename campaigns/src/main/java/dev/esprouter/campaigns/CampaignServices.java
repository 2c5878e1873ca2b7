package dev.esprouter.campaigns;

import dev.esprouter.common.routing.ChunkGates;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.SharedServiceProvider;

/**
 * In every process, whichever roles it runs: the {@link CampaignGate} the router asks for every chunk,
 * so a router in a process without the campaigns role still holds a paused campaign's chunks.
 */
public final class CampaignServices implements SharedServiceProvider {

  @Override
  public void register(RoleContext ctx) {
    ctx.services().find(ChunkGates.class).ifPresent(gates -> gates.register(new CampaignGate(ctx.pool(),
        CampaignSettings.gateCacheMs(ctx.config().reader()))));
  }
}
