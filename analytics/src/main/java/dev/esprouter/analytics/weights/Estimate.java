package dev.esprouter.analytics.weights;

import io.vertx.core.json.JsonObject;

/**
 * One provider's rates as the learner believes them now: the fast (reactive) memory's counts with
 * the slow memory's smoothed rate as their prior (opens: the engagement memory, see
 * {@link ProviderMemory}), worth {@code blendStrength} observations — a big
 * recent sample speaks for itself, a thin one (a noisy minute, a provider kept at the floor) barely
 * moves the baseline. {@code *Evidence} is how many observations each belief rests on (capped at
 * {@code maxEvidence}, so the posterior never gets so sharp that the learner stops noticing drift).
 *
 * @param failure    provider-side failures per resolved send
 * @param open       opens per delivered message
 * @param complaint  complaints per delivered message
 * @param deferral   deferrals per resolved send or deferral
 */
public record Estimate(double failure, double open, double complaint, double deferral, double resolvedEvidence,
                       double deliveredEvidence) {

  public static Estimate of(ProviderMemory m, WeightParameters p) {
    return of(m, p, null);
  }

  /**
   * The estimate of one recipient-domain group's memory whose baseline is smoothed toward
   * {@code parent} (the provider's estimate over every group) rather than the fixed priors, worth
   * {@code blendStrength} observations: a group with little data of its own follows the provider's
   * overall record, one with plenty follows its own.
   */
  public static Estimate of(ProviderMemory m, WeightParameters p, Estimate parent) {
    double s = p.blendStrength();
    DecayedCounts slow = m.slow();
    DecayedCounts fast = m.fast();
    WeightParameters.Prior failurePrior = parent == null ? p.failure() : new WeightParameters.Prior(parent.failure, s);
    WeightParameters.Prior complaintPrior = parent == null ? p.complaint()
        : new WeightParameters.Prior(parent.complaint, s);
    WeightParameters.Prior deferralPrior = parent == null ? p.deferral()
        : new WeightParameters.Prior(parent.deferral, s);
    WeightParameters.Prior openPrior = parent == null ? p.open() : new WeightParameters.Prior(parent.open, s);
    double failure = blend(SenderMetric.FAILURE.rate(slow, failurePrior), fast.failures(), fast.resolved(), s);
    double complaint = blend(SenderMetric.COMPLAINT.rate(slow, complaintPrior), fast.complained(), fast.delivered(), s);
    double deferral = blend(SenderMetric.DEFERRAL.rate(slow, deferralPrior), fast.deferred(),
        fast.resolved() + fast.deferred(), s);
    DecayedCounts e = m.engagement();
    DecayedCounts eb = m.engagementBaseline();
    double open = blend(openPrior.smooth(eb.opened(), eb.delivered()), e.opened(), e.delivered(), s);
    return new Estimate(failure, Math.min(1, open), complaint, deferral,
        Math.min(p.maxEvidence(), s + fast.resolved()), Math.min(p.maxEvidence(), s + e.delivered()));
  }

  private static double blend(double prior, double hits, double trials, double strength) {
    return (hits + prior * strength) / (trials + strength);
  }

  /** Delivered per resolved send. */
  public double delivery() {
    return 1 - failure;
  }

  /** The value of one resolved send: delivered + opened (the measure), from 0 to 2. */
  public double value() {
    return delivery() * (1 + open);
  }

  public double rate(SenderMetric m) {
    return switch (m) {
      case FAILURE -> failure;
      case COMPLAINT -> complaint;
      case DEFERRAL -> deferral;
    };
  }

  public double evidence(SenderMetric m) {
    return m == SenderMetric.COMPLAINT ? deliveredEvidence : resolvedEvidence;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("failure", Rates.round(failure))
        .put("complaint", Rates.round(complaint))
        .put("deferral", Rates.round(deferral))
        .put("open", Rates.round(open))
        .put("value", Rates.round(value()))
        .put("evidence", Math.round(resolvedEvidence));
  }
}
