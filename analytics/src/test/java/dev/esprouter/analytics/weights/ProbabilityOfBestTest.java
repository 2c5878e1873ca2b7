package dev.esprouter.analytics.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbabilityOfBestTest {

  static Estimate e(double failure, double open, double evidence) {
    return new Estimate(failure, open, 0, 0, evidence, evidence);
  }

  @ParameterizedTest(name = "open {0} vs {1}, evidence {2}: P(first best) in [{3}, {4}]")
  @DisplayName("The chance of being best grows with the value gap and with certainty")
  @CsvSource({
      "0.45, 0.35, 5000, 0.99, 1.0",   // the postmark vs sendgrid, well measured
      "0.45, 0.35, 20, 0.6, 0.95",     // same rates, thin evidence: still exploring
      "0.40, 0.40, 5000, 0.4, 0.6",    // a tie: shared
      "0.30, 0.45, 5000, 0.0, 0.01"})
  void table(double openA, double openB, double evidence, double low, double high) {
    double[] p = ProbabilityOfBest.of(new Estimate[] {e(0.01, openA, evidence), e(0.01, openB, evidence)}, 2000, 7);
    assertThat(p[0]).isBetween(low, high);
    assertThat(p[0] + p[1]).isCloseTo(1, within(1e-9));
  }

  @ParameterizedTest(name = "seed {0}")
  @DisplayName("Seeded: the same inputs and seed give the same probabilities")
  @CsvSource({"1", "42"})
  void seeded(long seed) {
    Estimate[] es = {e(0.02, 0.3, 300), e(0.03, 0.32, 300), e(0.01, 0.29, 300)};
    assertThat(ProbabilityOfBest.of(es, 1000, seed)).containsExactly(ProbabilityOfBest.of(es, 1000, seed));
  }

  @ParameterizedTest(name = "shape {0}")
  @DisplayName("Gamma draws have the right mean, small shapes included")
  @CsvSource({"0.3", "1", "7.5", "5000"})
  void gammaMean(double shape) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    double sum = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      sum += ProbabilityOfBest.gamma(r, shape);
    }
    assertThat(sum / n).isCloseTo(shape, within(Math.max(0.03, 4 * Math.sqrt(shape / n))));
  }
}
