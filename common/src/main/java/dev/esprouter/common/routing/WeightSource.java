package dev.esprouter.common.routing;

import dev.esprouter.common.Channel;
import io.vertx.core.Future;

/**
 * Where the router gets the weights of a channel for the next chunk. Implemented by analytics from
 * aggregated provider stats; the router never imports analytics. Implementations must be cheap
 * (cached) since the router asks once per chunk.
 */
public interface WeightSource {

  Future<Weights> weights(Channel channel, WeightQuery query);
}
