package dev.esprouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The sandbox role in the app's runtime")
class SandboxRoleTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  @Test
  @DisplayName("serves the providers on its own port, where their base URLs point; counts them in metrics")
  void ownPort() {
    EspConfig config = env.config(Map.of("ESP_ROLES", "sandbox", "ESP_SANDBOX_SEED", "5"));
    SandboxRole role = new SandboxRole();
    assertThat(config.runs(EspConfig.Role.SANDBOX)).isTrue();
    try (RunningRoles running = RunningRoles.start(config, role)) {
      WebClient client = WebClient.create(running.vertx());
      String sandboxBase = "http://127.0.0.1:" + config.sandbox().port();
      JsonObject stats = client.getAbs(sandboxBase + "/sandbox/stats").send().await().bodyAsJsonObject();
      assertThat(stats.getJsonObject("providers").fieldNames()).containsExactlyInAnyOrder("sendgrid", "postmark",
          "socketlabs", "sparkpost", "meta", "telegram");
      assertThat(client.getAbs(running.baseUrl() + "/sandbox/stats").send().await().statusCode()).isEqualTo(404);
      assertThat(role.server().seed()).isEqualTo(5);
      for (ProviderName p : ProviderName.values()) {
        assertThat(config.provider(p).baseUrl()).isEqualTo(role.baseUrl(p));
      }
      int status = client.postAbs(config.provider(ProviderName.SENDGRID).baseUrl() + "/v3/mail/send")
          .putHeader("Authorization", "Bearer k").sendJsonObject(SendGridSandboxTest.mail(2)).await().statusCode();
      assertThat(status).isEqualTo(202);
      assertThat(role.server().stats().of(ProviderName.SENDGRID).messages()).isEqualTo(2);
      assertThat(running.registry().scrape())
          .contains("esp_sandbox_recipients_accepted_total{provider=\"sendgrid\"} 2.0");
      client.close();
    }
  }

  @Test
  @DisplayName("is part of 'all' in sandbox mode and found through the service loader")
  void discovered() {
    EspConfig config = env.config(Map.of());
    assertThat(config.runs(EspConfig.Role.SANDBOX)).isTrue();
    assertThat(dev.esprouter.common.runtime.RoleRuntime.discover()).anyMatch(m -> m instanceof SandboxRole);
  }
}
