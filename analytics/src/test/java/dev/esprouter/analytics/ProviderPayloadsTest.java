package dev.esprouter.analytics;

import static dev.esprouter.analytics.AnalyticsHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The role as the app runs it (the providers' own parsers) on a provider's documented webhook body. */
class ProviderPayloadsTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  static JsonObject sendgrid(String event, String messageId, String email, String eventId) {
    return new JsonObject().put("email", email).put("timestamp", 1_763_900_000L).put("event", event)
        .put("sg_event_id", eventId).put("sg_message_id", "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0")
        .put("esp_message_id", messageId);
  }

  @Test
  @DisplayName("SendGrid event arrays from Kafka move statuses, fill the timeline and stats, and suppress hard bounces")
  void sendgridArray() {
    EspConfig config = env.config(Map.of("ESP_ANALYTICS_GROUP_ID", "g-" + UUID.randomUUID()));
    env.createTopics(config);
    env.database().sql("insert into tenants (id, name) values ('ten_p', 'p')");
    env.database().sql("insert into messages (id, tenant_id, channel, recipient) values "
        + "('msg_p1', 'ten_p', 'email', 'one@example.com'), ('msg_p2', 'ten_p', 'email', 'two@example.com')");
    env.database().sql("insert into message_status (id, tenant_id, status, provider) values "
        + "('msg_p1', 'ten_p', 'sent', 'sendgrid'), ('msg_p2', 'ten_p', 'sent', 'sendgrid')");
    JsonArray body = new JsonArray()
        .add(sendgrid("delivered", "msg_p1", "one@example.com", "ev-1"))
        .add(sendgrid("open", "msg_p1", "one@example.com", "ev-2"))
        .add(sendgrid("bounce", "msg_p2", "two@example.com", "ev-3").put("type", "bounce").put("status", "5.1.1")
            .put("reason", "550 5.1.1 The email account that you tried to reach does not exist"))
        .add(sendgrid("processed", "msg_p2", "two@example.com", "ev-4"));
    try (RunningRoles roles = RunningRoles.start(config, new AnalyticsRole())) {
      KafkaProducer<String, Buffer> producer = KafkaProducer.create(roles.vertx(), config.kafka().producerConfig("t"));
      AnalyticsHarness.await(producer.send(KafkaProducerRecord.create(env.topics().webhooks(ProviderName.SENDGRID),
          "sendgrid", body.toBuffer())));
      eventually(() -> env.database().count("select count(*) from message_events") == 3);
      assertThat(env.database().count("select count(*) from message_status where id = 'msg_p1' and status = 'opened'"))
          .isEqualTo(1);
      assertThat(env.database().count("select count(*) from message_status where id = 'msg_p2' and status = 'bounced'"))
          .isEqualTo(1);
      assertThat(env.database().count("select sum(delivered) * 100 + sum(opened) * 10 + sum(bounced_recipient) "
          + "from provider_stats where provider = 'sendgrid'")).isEqualTo(111);
      assertThat(env.database().count("select count(*) from suppressions where tenant_id = 'ten_p' "
          + "and address = 'two@example.com' and reason = 'hard_bounce'")).isEqualTo(1);
      producer.close();
    }
  }
}
