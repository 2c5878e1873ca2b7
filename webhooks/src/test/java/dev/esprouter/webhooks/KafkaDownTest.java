package dev.esprouter.webhooks;

import static dev.esprouter.webhooks.SignedRequests.body;
import static dev.esprouter.webhooks.SignedRequests.send;
import static dev.esprouter.webhooks.SignedRequests.signed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Ids;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.testkit.SharedKafka;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaDownTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  @Test
  @DisplayName("With Kafka stopped a verified webhook gets 503 with Retry-After, so the provider retries it")
  void kafkaDown() throws Exception {
    SharedKafka broker = SharedKafka.startPrivate();
    EspConfig config = env.config(Map.of("ESP_PROVIDERS_MODE", "sandbox",
        "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()));
    env.createTopics(config);
    try (RunningRoles roles = RunningRoles.start(config, new WebhooksRole())) {
      HttpResponse<String> up = send(signed(roles.baseUrl(), ProviderName.SENDGRID,
          body(ProviderName.SENDGRID, Ids.message())));
      assertThat(up.statusCode()).isEqualTo(200);

      broker.close();
      HttpResponse<String> down = send(signed(roles.baseUrl(), ProviderName.SENDGRID,
          body(ProviderName.SENDGRID, Ids.message())));

      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).contains("5");
      var unavailable = roles.registry().find("esp_webhook_requests")
          .tags("provider", "sendgrid", "result", "unavailable").counter();
      assertThat(unavailable.count()).isEqualTo(1);
    } finally {
      broker.close();
    }
  }
}
