package dev.esprouter.analytics.weights;

import dev.esprouter.common.config.ConfigReader;
import io.vertx.core.json.JsonObject;

/**
 * The knobs of the weight computation (DESIGN.md § Weights), all visible in
 * {@code /v1/routing/explain}.
 *
 * <p>Each rate is smoothed with a Beta prior: {@code (x + mean·strength) / (n + strength)}, so a
 * provider with no data sits at the prior mean and ten messages move it only a little. The score is
 * {@code exp(-(failurePenalty·failure + complaintPenalty·complaint + deferralPenalty·deferral))
 * · (1 + openBonus·open + clickBonus·click)}: a 20% provider-side failure rate costs e^-2 ≈ 0.14
 * of the score, 1% only e^-0.1 ≈ 0.90, a 0.3% complaint rate (Gmail's limit) e^-0.9, and 20%
 * deferrals (a provider being throttled or blocked for reputation) e^-1 ≈ 0.37.
 * Each eligible provider then gets at least {@code explorationFloor} of the channel's traffic so a
 * provider that got better is measured again and can win traffic back.
 *
 * @param blendStrength for a later chunk of a batch, how many fresh messages weigh as much as the
 *                      whole 30-day figure (the 30-day rate is the prior of the fresh sample)
 */
public record WeightParameters(int windowDays, double explorationFloor, double blendStrength,
                               Prior failure, Prior complaint, Prior deferral, Prior open, Prior click,
                               double failurePenalty, double complaintPenalty, double deferralPenalty,
                               double openBonus, double clickBonus) {

  /** A Beta prior given as its mean and its strength (pseudo-count of observations). */
  public record Prior(double mean, double strength) {

    public double alpha() {
      return mean * strength;
    }

    /** The smoothed rate of {@code hits} out of {@code trials}. */
    public double smooth(long hits, long trials) {
      return (hits + alpha()) / (trials + strength);
    }

    JsonObject toJson() {
      return new JsonObject().put("mean", mean).put("strength", strength);
    }
  }

  public static final WeightParameters DEFAULT = new WeightParameters(30, 0.05, 200,
      new Prior(0.02, 100), new Prior(0.001, 1000), new Prior(0.02, 100), new Prior(0.2, 100), new Prior(0.03, 100),
      10, 300, 5, 0.5, 1.0);

  /** The defaults with the operator's overrides ({@code ESP_WEIGHTS_*}). */
  public static WeightParameters from(ConfigReader c) {
    WeightParameters d = DEFAULT;
    return new WeightParameters(
        c.integer("ESP_WEIGHTS_WINDOW_DAYS", d.windowDays, 1, 365),
        c.decimal("ESP_WEIGHTS_EXPLORATION_FLOOR", d.explorationFloor, 0, 0.25),
        c.decimal("ESP_WEIGHTS_BLEND_STRENGTH", d.blendStrength, 1, 1_000_000),
        d.failure, d.complaint, d.deferral, d.open, d.click,
        d.failurePenalty, d.complaintPenalty, d.deferralPenalty, d.openBonus, d.clickBonus);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("window_days", windowDays)
        .put("exploration_floor", explorationFloor)
        .put("blend_strength", blendStrength)
        .put("priors", new JsonObject().put("failure", failure.toJson()).put("complaint", complaint.toJson())
            .put("deferral", deferral.toJson()).put("open", open.toJson()).put("click", click.toJson()))
        .put("score", "exp(-(" + failurePenalty + "*failure + " + complaintPenalty + "*complaint + "
            + deferralPenalty + "*deferral)) * (1 + " + openBonus + "*open + " + clickBonus + "*click)");
  }
}
