package dev.esprouter.analytics.weights;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth.Breaker;
import dev.esprouter.common.routing.Weights;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of one channel from aggregated counters (DESIGN.md § Weights). Pure: the same inputs
 * always give the same weights, and the cost is O(providers), whatever the traffic behind the counters.
 *
 * <ol>
 *   <li>Smoothed rates of the window (Beta priors); for a later chunk, the fresh counters blended
 *       with those rates while the fresh sample is small ({@link Rates#blended}).</li>
 *   <li>A score per provider ({@link Rates#score}).</li>
 *   <li>Disabled providers and those whose breaker is open are excluded (0 points).</li>
 *   <li>Every remaining provider gets the exploration floor, and the rest of the traffic in
 *       proportion to its score.</li>
 *   <li>Shares become points summing to exactly 1000 by largest remainder ({@link Weights#normalize}).</li>
 * </ol>
 */
public final class WeightCalculator {

  private final WeightParameters params;

  public WeightCalculator(WeightParameters params) {
    this.params = params;
  }

  public WeightParameters parameters() {
    return params;
  }

  public WeightExplanation compute(Channel channel, Map<ProviderName, ProviderInput> inputs) {
    List<ProviderName> providers = ProviderName.of(channel);
    int n = providers.size();
    Rates[] windowRates = new Rates[n];
    Rates[] rates = new Rates[n];
    double[] scores = new double[n];
    String[] exclusions = new String[n];
    boolean laterChunk = false;
    int eligible = 0;
    double scoreSum = 0;
    for (int i = 0; i < n; i++) {
      ProviderInput in = input(inputs, providers.get(i));
      windowRates[i] = Rates.smoothed(in.window(), params);
      rates[i] = in.fresh() == null ? windowRates[i] : Rates.blended(in.fresh(), windowRates[i], params.blendStrength());
      laterChunk |= in.fresh() != null;
      scores[i] = rates[i].score(params);
      exclusions[i] = !in.enabled() ? "disabled" : in.breaker() == Breaker.OPEN ? "breaker_open" : null;
      if (exclusions[i] == null) {
        eligible++;
        scoreSum += scores[i];
      }
    }
    double floor = eligible == 0 ? 0 : Math.min(params.explorationFloor(), 1.0 / eligible);
    double rest = 1 - eligible * floor;
    Map<ProviderName, Double> shares = new EnumMap<>(ProviderName.class);
    for (int i = 0; i < n; i++) {
      double share = exclusions[i] != null ? 0 : floor + rest * scores[i] / scoreSum;
      shares.put(providers.get(i), share);
    }
    Weights weights = Weights.normalize(channel, shares);
    List<ProviderScore> lines = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ProviderName p = providers.get(i);
      ProviderInput in = input(inputs, p);
      lines.add(new ProviderScore(p, in.enabled(), in.breaker(), exclusions[i], in.window(), in.fresh(),
          windowRates[i], rates[i], scores[i], shares.get(p), weights.of(p)));
    }
    return new WeightExplanation(channel, weights, List.copyOf(lines), params, laterChunk);
  }

  private static ProviderInput input(Map<ProviderName, ProviderInput> inputs, ProviderName p) {
    ProviderInput in = inputs.get(p);
    return in != null ? in : new ProviderInput(p, true, Breaker.CLOSED, StatCounts.ZERO, null);
  }
}
