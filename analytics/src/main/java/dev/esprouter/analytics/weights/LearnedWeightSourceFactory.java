package dev.esprouter.analytics.weights;

import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.WeightSource;
import dev.esprouter.common.routing.WeightSourceFactory;
import dev.esprouter.common.runtime.RoleContext;

/**
 * Creates the process's {@link LearnedWeightSource} (listed in
 * {@code META-INF/services/dev.esprouter.common.routing.WeightSourceFactory}). It runs in every
 * process that has the analytics jar on its classpath, whether or not the analytics role runs
 * there, so a router-only process still routes by learned weights.
 */
public final class LearnedWeightSourceFactory implements WeightSourceFactory {

  @Override
  public WeightSource create(RoleContext ctx) {
    // ESP_ROUTING_WEIGHTS=fixed: the operator's ESP_PRIOR_WEIGHTS_* only, nothing learned.
    String mode = ctx.config().reader().string("ESP_ROUTING_WEIGHTS", "learned");
    if (mode.equals("fixed")) {
      return null;
    }
    if (!mode.equals("learned")) {
      throw new dev.esprouter.common.config.ConfigException("ESP_ROUTING_WEIGHTS=" + mode + ": must be learned or fixed");
    }
    ProviderHealth health = ctx.services().find(ProviderHealth.class).orElseGet(ProviderHealth::new);
    LearnedWeightSource source = new LearnedWeightSource(ctx.vertx(), ctx.pool(), ctx.config(), health,
        WeightParameters.from(ctx.config().reader()));
    if (ctx.registry() != null) {
      source.registerMetrics(ctx.registry());
    }
    return source.start();
  }
}
