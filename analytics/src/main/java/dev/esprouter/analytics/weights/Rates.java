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

  /**
   * Fresh counts blended with longer-run rates: the long rate is the prior of the fresh sample with
   * {@code strength} pseudo-observations, so a small fresh sample barely moves it and a large one
   * takes over.
   */
  public static Rates blended(StatCounts fresh, Rates longRun, double strength) {
    return new Rates(
        new WeightParameters.Prior(longRun.failure, strength).smooth(fresh.providerFailures(), fresh.resolved()),
        new WeightParameters.Prior(longRun.complaint, strength).smooth(fresh.complained(), fresh.delivered()),
        new WeightParameters.Prior(longRun.deferral, strength).smooth(fresh.deferred(),
            fresh.resolved() + fresh.deferred()),
        new WeightParameters.Prior(longRun.open, strength).smooth(fresh.opened(), fresh.delivered()),
        new WeightParameters.Prior(longRun.click, strength).smooth(fresh.clicked(), fresh.delivered()));
  }

  /** The score of DESIGN.md § Weights: punishes failures, complaints and deferrals, rewards engagement. */
  public double score(WeightParameters p) {
    double penalty = p.failurePenalty() * failure + p.complaintPenalty() * complaint + p.deferralPenalty() * deferral;
    return Math.exp(-penalty) * (1 + p.openBonus() * open + p.clickBonus() * click);
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
