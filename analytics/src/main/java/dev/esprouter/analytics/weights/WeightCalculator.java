package dev.esprouter.analytics.weights;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.ProviderHealth.Breaker;
import dev.esprouter.common.routing.Weights;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The weights one chunk gets: the {@link Learner}'s last allocation with what the router knows
 * now applied — disabled providers and open breakers get nothing, a half-open breaker only a probe
 * ({@code probeShare}: it has not proved healthy yet), a throttled provider the part of its share
 * its current rate allows — then points summing to exactly 1000 by largest remainder. Pure and
 * O(providers): this is all a call costs.
 */
public final class WeightCalculator {

  private final WeightParameters params;

  public WeightCalculator(WeightParameters params) {
    this.params = params;
  }

  public WeightParameters parameters() {
    return params;
  }

  public WeightExplanation compute(Channel channel, DomainGroup group, Learner.Allocation learned,
                                   Map<ProviderName, ProviderInput> inputs) {
    List<ProviderName> providers = ProviderName.of(channel);
    int n = providers.size();
    Map<ProviderName, Double> shares = new EnumMap<>(ProviderName.class);
    String[] exclusions = new String[n];
    for (int i = 0; i < n; i++) {
      ProviderName p = providers.get(i);
      ProviderInput in = input(inputs, p);
      Learner.Line line = learned.line(p);
      double share = line.share();
      if (!in.enabled()) {
        exclusions[i] = "disabled";
        share = 0;
      } else if (in.breaker() == Breaker.OPEN) {
        exclusions[i] = "breaker_open";
        share = 0;
      } else if (line.gate() == Gate.State.CUT) {
        exclusions[i] = "limit_crossed";
      } else if (line.gate() == Gate.State.PROBING) {
        exclusions[i] = "probing";
      } else if (in.breaker() == Breaker.HALF_OPEN) {
        exclusions[i] = "breaker_half_open";
        share = Math.min(share, params.probeShare());
      } else {
        share *= Math.max(0, Math.min(1, in.capacity()));
      }
      shares.put(p, share);
    }
    Weights weights = Weights.normalize(channel, probesKept(providers, exclusions, shares));
    List<ProviderScore> lines = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ProviderName p = providers.get(i);
      ProviderInput in = input(inputs, p);
      lines.add(new ProviderScore(p, in.enabled(), in.breaker(), exclusions[i], in.window(),
          Rates.smoothed(in.window(), params), learned.line(p), shares.get(p), weights.of(p)));
    }
    return new WeightExplanation(channel, group, weights, List.copyOf(lines), params, learned.at());
  }

  /**
   * A probe is an absolute share: what the excluded providers leave goes to the others, never into
   * a probe (a half-open provider next to an open breaker still gets only its probe). When nobody
   * else can take traffic, the probes take it all.
   */
  private static Map<ProviderName, Double> probesKept(List<ProviderName> providers, String[] exclusions,
                                                      Map<ProviderName, Double> shares) {
    double probes = 0;
    double others = 0;
    for (int i = 0; i < providers.size(); i++) {
      double s = shares.get(providers.get(i));
      if (isProbe(exclusions[i])) {
        probes += s;
      } else {
        others += s;
      }
    }
    if (others <= 0 || probes >= 1) {
      return shares;
    }
    Map<ProviderName, Double> out = new EnumMap<>(ProviderName.class);
    for (int i = 0; i < providers.size(); i++) {
      double s = shares.get(providers.get(i));
      out.put(providers.get(i), isProbe(exclusions[i]) ? s : s * (1 - probes) / others);
    }
    return out;
  }

  private static boolean isProbe(String exclusion) {
    return "probing".equals(exclusion) || "breaker_half_open".equals(exclusion);
  }

  private static ProviderInput input(Map<ProviderName, ProviderInput> inputs, ProviderName p) {
    ProviderInput in = inputs.get(p);
    return in != null ? in : new ProviderInput(p, true, Breaker.CLOSED, 1, StatCounts.ZERO);
  }
}
