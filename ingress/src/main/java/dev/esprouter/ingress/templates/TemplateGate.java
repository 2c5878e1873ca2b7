package dev.esprouter.ingress.templates;

import dev.esprouter.common.Channel;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.routing.ChunkGate;
import io.vertx.core.Future;

/**
 * Stops WhatsApp sends of a template Meta has paused or disabled since they were accepted: a chunk
 * naming a registry template (name and language) of its tenant that is now {@code paused} or
 * {@code disabled} fails, every recipient with the reason, instead of being refused by Meta one
 * recipient at a time (132015, 132016). Other chunks proceed. Reads the process's cached registry
 * ({@link TemplateRegistry}): a status change reaches the router within the cache's TTL.
 */
public final class TemplateGate implements ChunkGate {

  private static final Future<Decision> PROCEED = Future.succeededFuture(Decision.proceed());

  private final TemplateRegistry registry;

  public TemplateGate(TemplateRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Future<Decision> check(SendChunk chunk) {
    if (chunk.channel() != Channel.WHATSAPP || chunk.content().template() == null
        || chunk.content().locale() == null) {
      return PROCEED;
    }
    return registry.of(chunk.tenantId()).map(t -> {
      Template v = t.variant(Channel.WHATSAPP, chunk.content().template(), chunk.content().locale());
      if (v == null || !v.stopped()) {
        return Decision.proceed();
      }
      String what = Template.PAUSED.equals(v.status()) ? "paused" : "disabled";
      return Decision.fail("template " + what + " by Meta: " + v.name() + " (" + v.language() + ")"
          + (v.reason() == null ? "" : ": " + v.reason()));
    });
  }
}
