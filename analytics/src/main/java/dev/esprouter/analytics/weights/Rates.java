package dev.esprouter.analytics.weights;

import io.vertx.core.json.JsonObject;

/**
 * Smoothed rates of one provider. {@code failure} is provider-side failures over resolved sends,
 * {@code deferral} deferrals over resolved sends plus deferrals, the others per delivered message.
 */
public record Rates(double failure, double complaint, double deferral, double open, double click) {

  /** The rates of {@code c} smoothed by the parameters' Beta priors. */
  public static Rates smoothed(StatCounts c, WeightParameters p) {
    return new Rates(
        p.failure().smooth(c.providerFailures(), c.resolved()),
        p.complaint().smooth(c.complained(), c.delivered()),
        p.deferral().smooth(c.deferred(), c.resolved() + c.deferred()),
        p.open().smooth(c.opened(), c.delivered()),
        p.click().smooth(c.clicked(), c.delivered()));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("failure", round(failure))
        .put("complaint", round(complaint))
        .put("deferral", round(deferral))
        .put("open", round(open))
        .put("click", round(click));
  }

  static double round(double v) {
    return Math.round(v * 1_000_000d) / 1_000_000d;
  }
}
