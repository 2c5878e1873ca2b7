package dev.esprouter.common.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WeightsTest {

  private static Map<ProviderName, Double> scores(double sg, double pm, double sl, double sp) {
    Map<ProviderName, Double> m = new EnumMap<>(ProviderName.class);
    m.put(ProviderName.SENDGRID, sg);
    m.put(ProviderName.POSTMARK, pm);
    m.put(ProviderName.SOCKETLABS, sl);
    m.put(ProviderName.SPARKPOST, sp);
    return m;
  }

  @Test
  @DisplayName("Scores normalize to points that sum to exactly 1000")
  void sumsToThousand() {
    Random r = new Random(7);
    for (int i = 0; i < 1000; i++) {
      Weights w = Weights.normalize(Channel.EMAIL, scores(r.nextDouble(), r.nextDouble(), r.nextDouble(), r.nextDouble()));
      assertThat(w.points().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
    }
  }

  @Test
  @DisplayName("Equal scores give 250 each; thirds give 334/333/333 with the remainder to the first declared")
  void largestRemainder() {
    assertThat(Weights.equal(Channel.EMAIL).points().values()).containsExactly(250, 250, 250, 250);
    Weights thirds = Weights.normalize(Channel.EMAIL, scores(1, 1, 1, 0));
    assertThat(thirds.points().values()).containsExactly(334, 333, 333, 0);
  }

  @Test
  @DisplayName("Excluding a provider re-splits its share over the others")
  void excluding() {
    Weights w = Weights.of(Channel.EMAIL, Map.of(ProviderName.SENDGRID, 400, ProviderName.POSTMARK, 300,
        ProviderName.SOCKETLABS, 200, ProviderName.SPARKPOST, 100));
    Weights without = w.excluding(Set.of(ProviderName.SENDGRID));
    assertThat(without.of(ProviderName.SENDGRID)).isZero();
    assertThat(without.points().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
    assertThat(without.of(ProviderName.POSTMARK)).isEqualTo(500);
  }

  @Test
  @DisplayName("A chunk of n is split so each provider gets floor or ceil of n*w/1000, and all n are placed")
  void split() {
    Random r = new Random(11);
    for (int i = 0; i < 500; i++) {
      Weights w = Weights.normalize(Channel.EMAIL, scores(r.nextInt(5), r.nextInt(5), r.nextInt(5), 1 + r.nextInt(5)));
      int n = 1 + r.nextInt(500);
      Map<ProviderName, Integer> parts = w.split(n);
      assertThat(parts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(n);
      for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
        double exact = n * w.of(p) / 1000.0;
        int got = parts.getOrDefault(p, 0);
        assertThat(got).isBetween((int) Math.floor(exact), (int) Math.ceil(exact));
      }
    }
  }

  @Test
  @DisplayName("All providers excluded gives empty weights and an empty split")
  void allExcluded() {
    Weights none = Weights.equal(Channel.EMAIL).excluding(Set.copyOf(ProviderName.of(Channel.EMAIL)));
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.split(10)).isEmpty();
  }

  @Test
  @DisplayName("Points that do not sum to 1000, or name another channel's provider, are refused")
  void invalid() {
    assertThatThrownBy(() -> Weights.of(Channel.EMAIL, Map.of(ProviderName.SENDGRID, 999)))
        .hasMessageContaining("sum to 999");
    assertThatThrownBy(() -> Weights.of(Channel.EMAIL, Map.of(ProviderName.META, 1000)))
        .hasMessageContaining("not a email provider");
    assertThatThrownBy(() -> Weights.normalize(Channel.EMAIL, scores(-1, 1, 1, 1)))
        .hasMessageContaining("non-negative");
  }

  @Test
  @DisplayName("A single-provider channel always gets all 1000 points")
  void singleProviderChannel() {
    assertThat(Weights.equal(Channel.TELEGRAM).points()).containsExactly(Map.entry(ProviderName.TELEGRAM, 1000));
  }
}
