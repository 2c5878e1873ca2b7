package dev.esprouter.analytics.weights;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth.Breaker;
import io.vertx.core.json.JsonObject;

/**
 * One provider's line of the explanation: the router-side inputs, what the learner made of its
 * feedback ({@link Learner.Line}: memory, estimate, probability of best, gate), its share before
 * rounding and its points of 1000. {@code exclusion} says why it gets nothing or only a probe:
 * {@code disabled}, {@code breaker_open}, {@code limit_crossed} (gate cut), {@code probing} (gate),
 * {@code breaker_half_open}; else null.
 */
public record ProviderScore(ProviderName provider, boolean enabled, Breaker breaker, String exclusion,
                            StatCounts window, Rates windowRates, Learner.Line learned, double share, int weight) {

  /** The learner's current rates, with the window's smoothed click rate (clicks are shown, not learned). */
  public Rates rates() {
    Estimate e = learned.estimate();
    return new Rates(e.failure(), e.complaint(), e.deferral(), e.open(), windowRates.click());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", provider.wire())
        .put("enabled", enabled)
        .put("breaker", breaker.wire())
        .put("excluded", exclusion)
        .put("window", window.toJson())
        .put("window_rates", windowRates.toJson())
        .put("rates", rates().toJson())
        .put("learned", learned.toJson())
        .put("share", Rates.round(share))
        .put("weight", weight);
  }
}
