package dev.esprouter.analytics.weights;

import java.util.SplittableRandom;

/**
 * Thompson sampling turned into a split (probability matching): the chance that each provider has
 * the highest value (delivered + opened per resolved send), estimated from {@code draws} joint
 * draws of every provider's Beta posteriors — delivery ~ Beta over resolved sends, open ~ Beta over
 * deliveries. Seeded, so the same inputs and seed give the same split (explainable, testable);
 * O(draws × providers), about a microsecond per draw for four providers.
 */
public final class ProbabilityOfBest {

  private ProbabilityOfBest() {
  }

  /** P(best) for each estimate; all zeros for an empty array. */
  public static double[] of(Estimate[] estimates, int draws, long seed) {
    int k = estimates.length;
    double[] wins = new double[k];
    if (k == 0) {
      return wins;
    }
    if (k == 1) {
      wins[0] = 1;
      return wins;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int d = 0; d < draws; d++) {
      int best = 0;
      double bestValue = -1;
      for (int i = 0; i < k; i++) {
        Estimate e = estimates[i];
        double delivery = beta(random, e.delivery(), e.resolvedEvidence());
        double open = beta(random, e.open(), e.deliveredEvidence());
        double v = delivery * (1 + open);
        if (v > bestValue) {
          bestValue = v;
          best = i;
        }
      }
      wins[best]++;
    }
    for (int i = 0; i < k; i++) {
      wins[i] /= draws;
    }
    // Providers the learner cannot tell apart (no data: all at the priors) are exchangeable: they
    // share their wins exactly, so sampling noise never ranks them.
    for (int i = 0; i < k; i++) {
      double sum = 0;
      int same = 0;
      for (int j = 0; j < k; j++) {
        if (estimates[j].equals(estimates[i])) {
          sum += wins[j];
          same++;
        }
      }
      if (same > 1) {
        double each = sum / same;
        for (int j = 0; j < k; j++) {
          if (estimates[j].equals(estimates[i])) {
            wins[j] = each;
          }
        }
      }
    }
    return wins;
  }

  /** A draw of Beta(mean·n, (1 − mean)·n). */
  static double beta(SplittableRandom r, double mean, double n) {
    double a = Math.max(1e-3, mean * n);
    double b = Math.max(1e-3, (1 - mean) * n);
    double x = gamma(r, a);
    double y = gamma(r, b);
    return x + y == 0 ? mean : x / (x + y);
  }

  /** Marsaglia and Tsang's method (boosted below shape 1). */
  static double gamma(SplittableRandom r, double shape) {
    if (shape < 1) {
      return gamma(r, shape + 1) * Math.pow(r.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = r.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = r.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
