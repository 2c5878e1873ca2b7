package dev.esprouter.webhooks;

import static dev.esprouter.webhooks.SignedRequests.body;
import static dev.esprouter.webhooks.SignedRequests.send;
import static dev.esprouter.webhooks.SignedRequests.sendgridBatch;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaDownTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private SharedKafka broker;
  private RunningRoles roles;

  @BeforeEach
  void start() throws Exception {
    broker = SharedKafka.startPrivate();
    EspConfig config = env.config(Map.of("ESP_PROVIDERS_MODE", "sandbox",
        "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "ESP_WEBHOOK_MAX_WAITING_BYTES", "1048576"));
    env.createTopics(config);
    roles = RunningRoles.start(config, new WebhooksRole());
    HttpResponse<String> up = send(signed(roles.baseUrl(), ProviderName.SENDGRID,
        body(ProviderName.SENDGRID, Ids.message())));
    assertThat(up.statusCode()).isEqualTo(200);
    broker.close();
  }

  @AfterEach
  void stop() {
    roles.close();
    broker.close();
  }

  private double counted(String result) {
    var c = roles.registry().find("esp_webhook_requests").tags("provider", "sendgrid", "result", result).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  @DisplayName("With Kafka stopped a verified webhook gets 503 with Retry-After, so the provider retries it")
  void kafkaDown() throws Exception {
    HttpResponse<String> down = send(signed(roles.baseUrl(), ProviderName.SENDGRID,
        body(ProviderName.SENDGRID, Ids.message())));

    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.headers().firstValue("Retry-After")).contains("5");
    assertThat(counted("unavailable")).isEqualTo(1);
    assertThat(counted("accepted")).isEqualTo(1);
  }

  @Test
  @DisplayName("While bodies wait for a stopped Kafka past the byte cap, the next webhook is shed at once with 503")
  void shedsLoad() throws Exception {
    String big = sendgridBatch(5000, Ids.message());
    String next = sendgridBatch(2500, Ids.message());
    assertThat(big.length()).isLessThan(1 << 20);
    assertThat(big.length() + next.length()).isGreaterThan(1 << 20);
    CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return send(signed(roles.baseUrl(), ProviderName.SENDGRID, big));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    awaitWaitingBytes();

    HttpResponse<String> shed = send(signed(roles.baseUrl(), ProviderName.SENDGRID, next));

    assertThat(shed.statusCode()).isEqualTo(503);
    assertThat(waiting).isNotDone();
    assertThat(waiting.get().statusCode()).isEqualTo(503);
    assertThat(counted("unavailable")).isEqualTo(2);
  }

  /** Until the first big body is in the publisher (bounded: the request itself times out in 30 s). */
  private void awaitWaitingBytes() throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      var gauge = roles.registry().find("esp_webhook_waiting_bytes").gauge();
      if (gauge != null && gauge.value() > 0) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the first webhook never reached Kafka's producer");
  }
}
