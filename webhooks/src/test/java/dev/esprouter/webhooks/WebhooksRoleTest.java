package dev.esprouter.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ConfigException;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.runtime.RoleModule;
import dev.esprouter.common.runtime.RoleRuntime;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WebhooksRoleTest {

  @Test
  @DisplayName("The app finds the webhooks role through its service file")
  void discovered() {
    assertThat(RoleRuntime.discover()).extracting(RoleModule::role).contains(EspConfig.Role.WEBHOOKS);
  }

  @Test
  @DisplayName("A SendGrid public key that is not a key stops start-up with one line naming the variable")
  void badKeyStopsStartUp() {
    EspConfig config = EspConfig.from(ConfigReader.of(Map.of("ESP_PROVIDERS_MODE", "live",
        "SENDGRID_WEBHOOK_PUBLIC_KEY", "not-a-key")));
    assertThatThrownBy(() -> new WebhooksRole().configure(config))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SENDGRID_WEBHOOK_PUBLIC_KEY");
  }

  @Test
  @DisplayName("SendGrid and SparkPost batches get 2 MiB, single-event providers less")
  void bodyLimits() {
    assertThat(WebhooksRole.bodyLimit(ProviderName.SENDGRID)).isGreaterThan(768 * 1024);
    assertThat(WebhooksRole.bodyLimit(ProviderName.SPARKPOST)).isEqualTo(2L << 20);
    assertThat(WebhooksRole.bodyLimit(ProviderName.TELEGRAM)).isLessThan(WebhooksRole.bodyLimit(ProviderName.META));
  }
}
