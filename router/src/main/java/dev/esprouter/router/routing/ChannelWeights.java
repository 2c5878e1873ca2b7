package dev.esprouter.router.routing;

import dev.esprouter.common.Channel;
import dev.esprouter.common.runtime.Services;
import dev.esprouter.common.routing.WeightQuery;
import dev.esprouter.common.routing.WeightSource;
import dev.esprouter.common.routing.Weights;
import io.vertx.core.Future;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weights of a channel for the next chunk: from the registered {@link WeightSource} (analytics)
 * when there is one, else — or when it fails or gives nothing — the configured priors.
 */
public final class ChannelWeights {

  private static final Logger log = LoggerFactory.getLogger(ChannelWeights.class);

  private final Services services;
  private final Map<Channel, Weights> priors;

  public ChannelWeights(Services services, Map<Channel, Weights> priors) {
    this.services = services;
    this.priors = priors;
  }

  public Future<Weights> weights(Channel channel, WeightQuery query) {
    Weights prior = priors.get(channel);
    return services.find(WeightSource.class)
        .map(s -> s.weights(channel, query)
            .map(w -> w == null || w.isEmpty() ? prior : w)
            .otherwise(err -> {
              log.warn("weight source failed for {}, using prior weights: {}", channel.wire(), err.toString());
              return prior;
            }))
        .orElseGet(() -> Future.succeededFuture(prior));
  }
}
