package dev.esprouter.ingress.templates;

import dev.esprouter.common.routing.ChunkGates;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.SharedServiceProvider;

/**
 * In every process, whichever roles it runs: the process's {@link TemplateRegistry} (in
 * {@code Services}, so the ingress role uses the same cache) and the {@link TemplateGate} the
 * router asks for every chunk. Nothing is loaded until a chunk or request needs a tenant.
 */
public final class TemplateServices implements SharedServiceProvider {

  @Override
  public void register(RoleContext ctx) {
    TemplateRegistry registry = ctx.services().find(TemplateRegistry.class).orElseGet(() -> {
      TemplateRegistry r = new TemplateRegistry(ctx.pool(), TemplateSettings.cacheMs(ctx.config().reader()));
      ctx.services().register(TemplateRegistry.class, r);
      return r;
    });
    ctx.services().find(ChunkGates.class).ifPresent(gates -> gates.register(new TemplateGate(registry)));
  }
}
