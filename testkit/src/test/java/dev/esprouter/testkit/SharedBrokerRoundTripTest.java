package dev.esprouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Priority;
import dev.esprouter.common.config.EspConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(VertxExtension.class)
class SharedBrokerRoundTripTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  @Test
  @DisplayName("A record produced with the shared producer settings is consumed from the shared broker")
  void roundTrip(Vertx vertx) throws Exception {
    EspConfig config = env.config();
    env.createTopics(config);
    String topic = env.topics().send(Priority.HIGH);

    KafkaProducer<String, Buffer> producer = KafkaProducer.create(vertx, config.kafka().producerConfig("test"));
    producer.send(KafkaProducerRecord.create(topic, "k1", Buffer.buffer("hello"))).await(20, TimeUnit.SECONDS);

    KafkaConsumer<String, Buffer> consumer = KafkaConsumer.create(vertx,
        config.kafka().consumerConfig("g-" + UUID.randomUUID(), "test"));
    var received = new java.util.concurrent.CompletableFuture<String>();
    consumer.handler(r -> received.complete(r.key() + "=" + r.value()));
    consumer.subscribe(topic).await(20, TimeUnit.SECONDS);

    assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo("k1=hello");
    consumer.close().await(10, TimeUnit.SECONDS);
    producer.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("Every topic of the design exists after createTopics, under this class's prefix")
  void topicsCreated() throws Exception {
    EspConfig config = env.config(Map.of());
    env.createTopics(config);
    try (var admin = org.apache.kafka.clients.admin.Admin.create(
        dev.esprouter.common.KafkaTopics.adminProps(config.kafka()))) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).containsAll(env.topics().all());
    }
  }
}
