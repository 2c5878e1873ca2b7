package dev.esprouter.router.routing;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.WeightQuery;
import dev.esprouter.common.routing.WeightSource;
import dev.esprouter.common.routing.Weights;
import dev.esprouter.common.runtime.Services;
import io.vertx.core.Future;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weights of a channel for the next chunk: from the registered {@link WeightSource} (analytics)
 * when there is one — it accounts for breakers and capacity itself — else, or when it fails or gives
 * nothing, the configured priors adjusted the same way here: a provider whose adaptive rate fell
 * ({@link ProviderHealth#capacity}) keeps only that fraction of its share, a half-open breaker gets a
 * probe share, an open one none.
 */
public final class ChannelWeights {

  private static final Logger log = LoggerFactory.getLogger(ChannelWeights.class);
  /** Points of 1000 a half-open provider gets with fixed weights: a probe, not its share. */
  static final double PROBE_POINTS = 20;

  private final Services services;
  private final Map<Channel, Weights> priors;
  private final ProviderHealth health;

  public ChannelWeights(Services services, Map<Channel, Weights> priors, ProviderHealth health) {
    this.services = services;
    this.priors = priors;
    this.health = health;
  }

  public Future<Weights> weights(Channel channel, WeightQuery query) {
    return services.find(WeightSource.class)
        .map(s -> s.weights(channel, query)
            .map(w -> w == null || w.isEmpty() ? fixed(channel) : w)
            .otherwise(err -> {
              log.warn("weight source failed for {}, using prior weights: {}", channel.wire(), err.toString());
              return fixed(channel);
            }))
        .orElseGet(() -> Future.succeededFuture(fixed(channel)));
  }

  /** The configured priors with each provider's capacity and breaker applied. */
  Weights fixed(Channel channel) {
    Weights prior = priors.get(channel);
    Map<ProviderName, Double> scores = new EnumMap<>(ProviderName.class);
    boolean changed = false;
    for (Map.Entry<ProviderName, Integer> e : prior.points().entrySet()) {
      ProviderName p = e.getKey();
      double points = e.getValue();
      double adjusted = switch (health.breaker(p)) {
        case OPEN -> 0;
        case HALF_OPEN -> Math.min(points, PROBE_POINTS);
        case CLOSED -> points * health.capacity(p);
      };
      changed |= adjusted != points;
      scores.put(p, adjusted);
    }
    if (!changed) {
      return prior;
    }
    Weights w = Weights.normalize(channel, scores);
    return w.isEmpty() ? prior : w;
  }
}
