package dev.esprouter.analytics.weights;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth.Breaker;

/**
 * What the router's side says about one provider at the moment of a call: enabled by the operator,
 * its breaker, how much of its configured rate it takes now ({@code ProviderHealth.capacity}), and
 * the window's counters (shown, not learned from here).
 */
public record ProviderInput(ProviderName provider, boolean enabled, Breaker breaker, double capacity,
                            StatCounts window) {
}
