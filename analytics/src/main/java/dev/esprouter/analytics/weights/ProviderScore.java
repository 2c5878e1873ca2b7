package dev.esprouter.analytics.weights;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth.Breaker;
import io.vertx.core.json.JsonObject;

/**
 * One provider's line of the explanation: its inputs, the rates and score they gave, its share
 * before rounding and its points of 1000. {@code exclusion} is {@code disabled} or
 * {@code breaker_open} when it gets nothing, else null.
 */
public record ProviderScore(ProviderName provider, boolean enabled, Breaker breaker, String exclusion,
                            StatCounts window, StatCounts fresh, Rates windowRates, Rates rates, double score,
                            double share, int weight) {

  public JsonObject toJson() {
    JsonObject o = new JsonObject()
        .put("name", provider.wire())
        .put("enabled", enabled)
        .put("breaker", breaker.wire())
        .put("excluded", exclusion)
        .put("window", window.toJson())
        .put("window_rates", windowRates.toJson());
    if (fresh != null) {
      o.put("fresh", fresh.toJson());
    }
    return o.put("rates", rates.toJson())
        .put("score", Rates.round(score))
        .put("share", Rates.round(share))
        .put("weight", weight);
  }
}
