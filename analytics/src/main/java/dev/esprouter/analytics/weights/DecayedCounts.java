package dev.esprouter.analytics.weights;

import io.vertx.core.json.JsonObject;

/**
 * Counters of {@code provider_stats} in which each minute bucket weighs {@code 2^(-age/halfLife)}:
 * memory that forgets at a chosen speed (a half-life of a day for the baseline, of a minute or two
 * for the reactive part). Only the counters the learner reads are kept; recipient-side failures
 * never count against a provider and are left out.
 *
 * @param failures provider-side hard bounces and drops (blocks, reputation refusals)
 */
public record DecayedCounts(double sent, double delivered, double opened, double deferred, double failures,
                            double complained) {

  public static final DecayedCounts ZERO = new DecayedCounts(0, 0, 0, 0, 0, 0);

  /** {@code c} weighed by {@code w}. */
  public static DecayedCounts of(StatCounts c, double w) {
    return new DecayedCounts(c.sent() * w, c.delivered() * w, c.opened() * w, c.deferred() * w,
        c.providerFailures() * w, c.complained() * w);
  }

  public DecayedCounts plus(DecayedCounts o) {
    return new DecayedCounts(sent + o.sent, delivered + o.delivered, opened + o.opened, deferred + o.deferred,
        failures + o.failures, complained + o.complained);
  }

  public DecayedCounts minus(DecayedCounts o) {
    return new DecayedCounts(Math.max(0, sent - o.sent), Math.max(0, delivered - o.delivered),
        Math.max(0, opened - o.opened), Math.max(0, deferred - o.deferred), Math.max(0, failures - o.failures),
        Math.max(0, complained - o.complained));
  }

  public DecayedCounts times(double w) {
    return new DecayedCounts(sent * w, delivered * w, opened * w, deferred * w, failures * w, complained * w);
  }

  /** Sends the provider is accountable for: delivered or failed on its side. */
  public double resolved() {
    return delivered + failures;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("sent", Rates.round(sent))
        .put("delivered", Rates.round(delivered))
        .put("opened", Rates.round(opened))
        .put("deferred", Rates.round(deferred))
        .put("failures", Rates.round(failures))
        .put("complained", Rates.round(complained));
  }
}
