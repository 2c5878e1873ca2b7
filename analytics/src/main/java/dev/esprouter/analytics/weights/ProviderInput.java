package dev.esprouter.analytics.weights;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth.Breaker;

/**
 * Everything the calculator knows about one provider.
 *
 * @param window the counters of the whole window (30 days)
 * @param fresh  for a later chunk of a batch, the counters since its previous chunk went out; null otherwise
 */
public record ProviderInput(ProviderName provider, boolean enabled, Breaker breaker, StatCounts window,
                            StatCounts fresh) {
}
