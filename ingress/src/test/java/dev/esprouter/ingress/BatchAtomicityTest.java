package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.KafkaTopics;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A batch is all chunks or none")
class BatchAtomicityTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  @Test
  @DisplayName("When Kafka refuses a later chunk, the batch is a 503 and no chunk of it is ever visible to the router")
  void halfWrittenBatchIsNeverRouted() throws Exception {
    try (IngressHarness h = IngressHarness.start(env)) {
      String lane = h.roles.config().kafka().topicPrefix() + "send.normal";
      try (Admin admin = Admin.create(KafkaTopics.adminProps(h.roles.config().kafka()))) {
        // The broker will take the first two (small) chunks and refuse the third (large) one.
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, lane), List.of(
            new AlterConfigOp(new ConfigEntry("max.message.bytes", "100000"), AlterConfigOp.OpType.SET))))
            .all().get(10, TimeUnit.SECONDS);
      }
      Thread.sleep(1000);
      JsonObject body = Bodies.batch(1200);
      Random random = new Random(7);
      for (int i = 1000; i < 1200; i++) {
        byte[] noise = new byte[1500];
        random.nextBytes(noise);
        body.getJsonArray("recipients").getJsonObject(i)
            .put("data", new JsonObject().put("noise", Base64.getEncoder().encodeToString(noise)));
      }
      HttpResponse<Buffer> r = h.post("/v1/batches", IngressHarness.BOOTSTRAP_KEY, body);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.getHeader("Retry-After")).isNotBlank();

      List<ConsumerRecord<String, byte[]>> written = h.sendRecords("read_uncommitted", 2000);
      assertThat(written).as("the first chunks did reach the log, inside the aborted transaction").isNotEmpty();
      String batchId = written.get(0).key();
      assertThat(batchId).startsWith("bat_");
      List<ConsumerRecord<String, byte[]>> visible = h.sendRecords("read_committed", 2000);
      assertThat(visible.stream().filter(c -> c.key().equals(batchId))).isEmpty();
      assertThat(env.database().count("select count(*) from messages")).isZero();
      assertThat(env.database().count("select count(*) from batches")).isZero();

      // The transactional producer recovered: the next batch goes through whole.
      HttpResponse<Buffer> ok = h.post("/v1/batches", IngressHarness.BOOTSTRAP_KEY, Bodies.batch(1200));
      assertThat(ok.statusCode()).isEqualTo(202);
      String okId = ok.bodyAsJsonObject().getString("batch_id");
      assertThat(h.sendRecords("read_committed", 1500).stream().filter(c -> c.key().equals(okId))).hasSize(3);
    }
  }
}
