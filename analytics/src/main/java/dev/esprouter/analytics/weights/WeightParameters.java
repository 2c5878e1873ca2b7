package dev.esprouter.analytics.weights;

import dev.esprouter.common.config.ConfigReader;
import io.vertx.core.json.JsonObject;

/**
 * The knobs of the learner (docs/ROUTING.md), all visible in {@code /v1/routing/explain}.
 *
 * <p>Memory: every minute bucket weighs {@code 2^(-age/halfLife)}, with a slow half-life (the
 * baseline) and a fast one (the reactive part); the fast counts are read with the slow rate as their
 * prior worth {@code blendStrength} observations; opens have their own memory
 * ({@code openHalfLifeMinutes}, never restarted: they arrive late). The {@link ChangeDetector} restarts a provider's
 * memory at a change point ({@code changeZ}, {@code changeMinEvidence}, {@code changeScanMinutes}).
 * Each rate's Beta {@code Prior} smooths the baseline of a provider with little data.
 *
 * <p>Allocation: the probability that each provider has the best value, from {@code draws} seeded
 * posterior draws (each belief capped at {@code maxEvidence} observations), on top of an
 * {@code explorationFloor} per provider; a provider's share rises by at most
 * {@code maxRisePoints} per computation, and falls as fast (a cut is immediate).
 *
 * <p>Limits: {@code maxFailureRate} (provider-side blocks and bounces), {@code maxComplaintRate},
 * {@code maxDeferralRate} (1 = off) cut a provider ({@link Gate}); after {@code gateBackoffMs}
 * (doubling up to {@code gateMaxBackoffMs}, {@code complaintMaxBackoffMs} after complaints) it gets {@code probeShare} until
 * {@code probeMinEvidence} probe sends resolved.
 */
public record WeightParameters(int windowDays, double explorationFloor, double blendStrength,
                               Prior failure, Prior complaint, Prior deferral, Prior open, Prior click,
                               double slowHalfLifeMinutes, double fastHalfLifeSeconds, double openHalfLifeMinutes,
                               double changeZ, double changeMinEvidence, int changeScanMinutes,
                               double maxEvidence, int draws, int maxRisePoints,
                               double maxFailureRate, double maxComplaintRate, double maxDeferralRate,
                               double probeShare, double probeMinEvidence, long gateBackoffMs, long gateMaxBackoffMs,
                               long complaintMaxBackoffMs) {

  /** A Beta prior given as its mean and its strength (pseudo-count of observations). */
  public record Prior(double mean, double strength) {

    public double alpha() {
      return mean * strength;
    }

    /** The smoothed rate of {@code hits} out of {@code trials}. */
    public double smooth(double hits, double trials) {
      return (hits + alpha()) / (trials + strength);
    }

    JsonObject toJson() {
      return new JsonObject().put("mean", mean).put("strength", strength);
    }
  }

  public static final WeightParameters DEFAULT = new WeightParameters(30, 0.05, 200,
      new Prior(0.02, 100), new Prior(0.001, 1000), new Prior(0.02, 100), new Prior(0.2, 100), new Prior(0.03, 100),
      1440, 120, 30, 5, 50, 30, 5000, 1000, 80,
      0.10, 0.001, 1.0, 0.02, 50, 30_000, 180_000, 3_600_000);

  /** The defaults with the operator's overrides ({@code ESP_WEIGHTS_*}, {@code ESP_ROUTING_*}). */
  public static WeightParameters from(ConfigReader c) {
    WeightParameters d = DEFAULT;
    long backoff = c.longValue("ESP_ROUTING_GATE_BACKOFF_MS", d.gateBackoffMs, 100, 3_600_000);
    return new WeightParameters(
        c.integer("ESP_WEIGHTS_WINDOW_DAYS", d.windowDays, 1, 365),
        c.decimal("ESP_WEIGHTS_EXPLORATION_FLOOR", d.explorationFloor, 0, 0.25),
        c.decimal("ESP_WEIGHTS_BLEND_STRENGTH", d.blendStrength, 1, 1_000_000),
        d.failure, d.complaint, d.deferral, d.open, d.click,
        c.decimal("ESP_WEIGHTS_SLOW_HALF_LIFE_MINUTES", d.slowHalfLifeMinutes, 10, 60 * 24 * 60),
        c.decimal("ESP_WEIGHTS_FAST_HALF_LIFE_SECONDS", d.fastHalfLifeSeconds, 10, 24 * 3600),
        c.decimal("ESP_WEIGHTS_OPEN_HALF_LIFE_MINUTES", d.openHalfLifeMinutes, 1, 30 * 24 * 60),
        c.decimal("ESP_WEIGHTS_CHANGE_Z", d.changeZ, 2, 100),
        d.changeMinEvidence, d.changeScanMinutes,
        c.decimal("ESP_WEIGHTS_MAX_EVIDENCE", d.maxEvidence, 10, 1e9),
        d.draws,
        c.integer("ESP_WEIGHTS_MAX_RISE_POINTS", d.maxRisePoints, 1, 1000),
        c.decimal("ESP_ROUTING_MAX_BLOCK_RATE", d.maxFailureRate, 0.0001, 1),
        c.decimal("ESP_ROUTING_MAX_COMPLAINT_RATE", d.maxComplaintRate, 0.00001, 1),
        c.decimal("ESP_ROUTING_MAX_DEFERRAL_RATE", d.maxDeferralRate, 0.0001, 1),
        c.decimal("ESP_ROUTING_PROBE_SHARE", d.probeShare, 0.001, 0.25),
        c.decimal("ESP_ROUTING_PROBE_MIN_SENDS", d.probeMinEvidence, 1, 1_000_000),
        backoff,
        c.longValue("ESP_ROUTING_GATE_MAX_BACKOFF_MS", Math.max(backoff, d.gateMaxBackoffMs), backoff, 86_400_000),
        c.longValue("ESP_ROUTING_COMPLAINT_MAX_BACKOFF_MS", Math.max(backoff, d.complaintMaxBackoffMs), backoff,
            7 * 86_400_000L));
  }

  /** The limit of {@code m} (1 = none). */
  public double limit(SenderMetric m) {
    return switch (m) {
      case FAILURE -> maxFailureRate;
      case COMPLAINT -> maxComplaintRate;
      case DEFERRAL -> maxDeferralRate;
    };
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("window_days", windowDays)
        .put("exploration_floor", explorationFloor)
        .put("blend_strength", blendStrength)
        .put("priors", new JsonObject().put("failure", failure.toJson()).put("complaint", complaint.toJson())
            .put("deferral", deferral.toJson()).put("open", open.toJson()).put("click", click.toJson()))
        .put("slow_half_life_minutes", slowHalfLifeMinutes)
        .put("fast_half_life_seconds", fastHalfLifeSeconds)
        .put("open_half_life_minutes", openHalfLifeMinutes)
        .put("change", new JsonObject().put("z", changeZ).put("min_evidence", changeMinEvidence)
            .put("scan_minutes", changeScanMinutes))
        .put("allocation", new JsonObject().put("rule", "probability_of_best").put("value", "delivered + opened")
            .put("draws", draws).put("max_evidence", maxEvidence).put("max_rise_points", maxRisePoints))
        .put("limits", new JsonObject().put("failure", maxFailureRate).put("complaint", maxComplaintRate)
            .put("deferral", maxDeferralRate))
        .put("probe", new JsonObject().put("share", probeShare).put("min_sends", probeMinEvidence)
            .put("backoff_ms", gateBackoffMs).put("max_backoff_ms", gateMaxBackoffMs)
            .put("complaint_max_backoff_ms", complaintMaxBackoffMs));
  }
}
