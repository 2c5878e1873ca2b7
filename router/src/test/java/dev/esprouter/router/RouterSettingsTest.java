package dev.esprouter.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ConfigException;
import dev.esprouter.common.config.ConfigReader;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RouterSettingsTest {

  @Test
  @DisplayName("Prior weights are read per channel and normalized to 1000; absent, they are equal")
  void priors() {
    RouterSettings s = RouterSettings.from(ConfigReader.of(Map.of("ESP_PRIOR_WEIGHTS_EMAIL", "sendgrid:1,postmark:1,sparkpost:2")));
    assertThat(s.priors().get(Channel.EMAIL).of(ProviderName.SPARKPOST)).isEqualTo(500);
    assertThat(s.priors().get(Channel.EMAIL).of(ProviderName.SOCKETLABS)).isZero();
    assertThat(s.priors().get(Channel.TELEGRAM).of(ProviderName.TELEGRAM)).isEqualTo(1000);
  }

  @Test
  @DisplayName("A bad prior names the variable and the problem")
  void badPriors() {
    assertThatThrownBy(() -> RouterSettings.from(ConfigReader.of(Map.of("ESP_PRIOR_WEIGHTS_EMAIL", "meta:10"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ESP_PRIOR_WEIGHTS_EMAIL=meta:10");
    assertThatThrownBy(() -> RouterSettings.from(ConfigReader.of(Map.of("ESP_PRIOR_WEIGHTS_EMAIL", "sendgrid:x"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not a non-negative number");
    assertThatThrownBy(() -> RouterSettings.from(ConfigReader.of(Map.of("ESP_PRIOR_WEIGHTS_EMAIL", "sendgrid:0"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("every weight is zero");
    assertThatThrownBy(() -> RouterSettings.from(ConfigReader.of(Map.of("ESP_RETRY_MAX_ATTEMPTS", "0"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ESP_RETRY_MAX_ATTEMPTS");
  }

  @Test
  @DisplayName("Backoff is full jitter under base·2^attempt, capped")
  void backoff() {
    RouterSettings s = RouterSettings.from(ConfigReader.of(Map.of()));
    assertThat(s.backoffMs(0, 0.999)).isEqualTo(999);
    assertThat(s.backoffMs(3, 0.5)).isEqualTo(4000);
    assertThat(s.backoffMs(20, 0.999)).isEqualTo(299_700);
    assertThat(s.backoffMs(5, 0.0)).isZero();
  }
}
