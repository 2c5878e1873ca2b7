package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.SharedKafka;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("When Kafka is down the send API answers 503 and accepts nothing")
class KafkaDownTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  @Test
  @DisplayName("With the broker stopped, a message and a multi-chunk batch get 503 with Retry-After and leave no rows")
  void brokerStopped() {
    SharedKafka broker = SharedKafka.startPrivate();
    try (IngressHarness h = IngressHarness.start(env, Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
        "ESP_INGRESS_KAFKA_TIMEOUT_MS", "2000",
        "ESP_ADMIN_TOKEN", ""))) {
      String key = IngressHarness.BOOTSTRAP_KEY;
      assertThat(h.post("/v1/messages", key, Bodies.email("before@example.com")).statusCode()).isEqualTo(202);
      assertThat(h.post("/v1/batches", key, Bodies.batch(1200)).statusCode()).isEqualTo(202);
      long rowsBefore = env.database().count("select count(*) from messages");
      long batchesBefore = env.database().count("select count(*) from batches");

      broker.close();

      HttpResponse<Buffer> m = h.post("/v1/messages", key, Bodies.email("after@example.com"));
      assertThat(m.statusCode()).isEqualTo(503);
      assertThat(m.getHeader("Retry-After")).isNotBlank();
      assertThat(m.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unavailable");

      HttpResponse<Buffer> b = h.post("/v1/batches", key, Bodies.batch(1200));
      assertThat(b.statusCode()).isEqualTo(503);
      assertThat(b.getHeader("Retry-After")).isNotBlank();

      HttpResponse<Buffer> one = h.post("/v1/batches", key, Bodies.batch(2));
      assertThat(one.statusCode()).isEqualTo(503);

      assertThat(env.database().count("select count(*) from messages")).isEqualTo(rowsBefore);
      assertThat(env.database().count("select count(*) from batches")).isEqualTo(batchesBefore);

      // Without ESP_ADMIN_TOKEN the admin routes do not exist.
      assertThat(h.post("/admin/tenants", "anything", new io.vertx.core.json.JsonObject().put("name", "x"))
          .statusCode()).isEqualTo(404);
    } finally {
      broker.close();
    }
  }
}
