package dev.esprouter.analytics.weights;

import io.vertx.core.json.JsonObject;

/**
 * Finds where a provider's sending path changed: a two-window test on each {@link SenderMetric}
 * between the minute buckets from a candidate minute on and the history before it, for every
 * candidate minute of the last {@code changeScanMinutes}; the split with the largest |z| wins when
 * it passes {@code changeZ} with at least {@code changeMinEvidence} trials on both sides. The
 * learner then forgets everything before that minute (detection-augmented learning: a stationary
 * estimate restarted at the change point), so a jump in blocks or complaints — or their end —
 * dominates the estimate at once while a noisy minute, too small to be significant, does not.
 * Pure.
 */
public final class ChangeDetector {

  /** A detected change: from which minute the rate of {@code metric} differs, before → after, and z. */
  public record Change(long epochMinute, SenderMetric metric, double before, double after, double z) {

    public JsonObject toJson() {
      return new JsonObject().put("since", java.time.Instant.ofEpochSecond(epochMinute * 60).toString())
          .put("metric", metric.wire()).put("before", Rates.round(before)).put("after", Rates.round(after))
          .put("z", Math.round(z * 100) / 100.0);
    }
  }

  private final WeightParameters params;

  public ChangeDetector(WeightParameters params) {
    this.params = params;
  }

  /**
   * @param history the slow-decayed counts of the whole history considered (the candidates' part included)
   * @param minutes the recent bucket minutes, ascending, from the history's start on
   * @param suffix  {@code suffix[i]} = slow-decayed counts of buckets {@code i..} (same indexes as minutes)
   * @param nowMinute the current minute
   * @return the change, or null when no split is significant
   */
  public Change detect(DecayedCounts history, long[] minutes, DecayedCounts[] suffix, long nowMinute) {
    Change best = null;
    long earliest = nowMinute - params.changeScanMinutes();
    for (int i = minutes.length - 1; i >= 0 && minutes[i] >= earliest; i--) {
      DecayedCounts after = suffix[i];
      DecayedCounts before = history.minus(after);
      for (SenderMetric m : SenderMetric.values()) {
        double na = m.trials(after);
        double nb = m.trials(before);
        if (na < params.changeMinEvidence() || nb < params.changeMinEvidence()) {
          continue;
        }
        WeightParameters.Prior prior = m.prior(params);
        double pb = m.rate(before, prior);
        // The normal approximation needs a couple of expected events: two complaints in fifty
        // deliveries at a 0.1 % baseline are not a change yet.
        if (na * pb < 2) {
          continue;
        }
        double pa = m.hits(after) / na;
        double pooled = Math.max(pb, 1e-6) * (1 - Math.min(pb, 1 - 1e-6));
        double z = (pa - pb) / Math.sqrt(pooled / na + pooled / nb);
        if (Math.abs(z) >= params.changeZ() && (best == null || Math.abs(z) > Math.abs(best.z()))) {
          best = new Change(minutes[i], m, pb, pa, z);
        }
      }
    }
    return best;
  }
}
