package dev.esprouter.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.Weights;
import dev.esprouter.common.runtime.Services;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChannelWeightsTest {

  private static final Weights PRIORS = Weights.of(Channel.EMAIL, Map.of(ProviderName.SENDGRID, 400,
      ProviderName.POSTMARK, 300, ProviderName.SOCKETLABS, 200, ProviderName.SPARKPOST, 100));

  private final ProviderHealth health = new ProviderHealth();
  private final ChannelWeights weights = new ChannelWeights(new Services(), Map.of(Channel.EMAIL, PRIORS), health);

  @Test
  @DisplayName("Healthy providers at full rate: the priors as configured")
  void healthy() {
    for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
      health.configuredRate(p, 100);
      health.currentRate(p, 100);
    }
    assertThat(weights.fixed(Channel.EMAIL)).isEqualTo(PRIORS);
  }

  @Test
  @DisplayName("A provider throttled to 1 % of its rate keeps 1 % of its share; the rest goes to the others")
  void capacity() {
    health.configuredRate(ProviderName.SENDGRID, 100);
    health.currentRate(ProviderName.SENDGRID, 1);
    Weights w = weights.fixed(Channel.EMAIL);
    assertThat(w.of(ProviderName.SENDGRID)).isBetween(5, 8);
    assertThat(w.of(ProviderName.POSTMARK)).isGreaterThan(490);
  }

  @Test
  @DisplayName("Half-open gets a probe share, open gets nothing")
  void breakers() {
    health.breaker(ProviderName.SENDGRID, ProviderHealth.Breaker.HALF_OPEN);
    health.breaker(ProviderName.POSTMARK, ProviderHealth.Breaker.OPEN);
    Weights w = weights.fixed(Channel.EMAIL);
    assertThat(w.of(ProviderName.POSTMARK)).isZero();
    assertThat(w.of(ProviderName.SENDGRID)).isBetween(20, 70);
    assertThat(w.of(ProviderName.SOCKETLABS)).isGreaterThan(500);
  }
}
