package dev.esprouter.common.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Kafka cluster: {@code KAFKA_BOOTSTRAP_SERVERS}, or, when unset, the embedded single-node
 * broker on {@code 127.0.0.1:ESP_EMBEDDED_KAFKA_PORT}. {@code waitMs} ({@code ESP_KAFKA_WAIT_MS}) bounds how
 * long start-up waits for a cluster to answer before it stops with one line. Producer and consumer defaults live here so
 * every module talks to Kafka the same way.
 */
public record KafkaSettings(Optional<String> externalBootstrap, int embeddedPort, String topicPrefix,
                            int partitions, short replicationFactor, long waitMs) {

  public static KafkaSettings from(ConfigReader c) {
    return new KafkaSettings(
        c.string("KAFKA_BOOTSTRAP_SERVERS"),
        c.port("ESP_EMBEDDED_KAFKA_PORT", 9092),
        c.string("ESP_KAFKA_TOPIC_PREFIX", ""),
        c.integer("ESP_KAFKA_PARTITIONS", 12, 1, 1000),
        (short) c.integer("ESP_KAFKA_REPLICATION_FACTOR", 1, 1, 10),
        c.longValue("ESP_KAFKA_WAIT_MS", 15_000, 1_000, 600_000));
  }

  public boolean embedded() {
    return externalBootstrap.isEmpty();
  }

  public String bootstrapServers() {
    return externalBootstrap.orElse("127.0.0.1:" + embeddedPort);
  }

  /** The same settings pointed at another cluster (tests, or after the embedded broker chose its port). */
  public KafkaSettings withBootstrap(String bootstrap) {
    return new KafkaSettings(Optional.of(bootstrap), embeddedPort, topicPrefix, partitions, replicationFactor, waitMs);
  }

  /**
   * Producer settings for records whose 202 or 200 depends on them: every in-sync replica
   * acknowledges, the producer is idempotent so retries never duplicate, lz4 keeps chunks small,
   * and a short linger lets concurrent requests share a produce request.
   */
  public Map<String, String> producerConfig(String clientId) {
    Map<String, String> m = new HashMap<>();
    m.put("bootstrap.servers", bootstrapServers());
    m.put("client.id", clientId);
    m.put("acks", "all");
    m.put("enable.idempotence", "true");
    m.put("compression.type", "lz4");
    m.put("linger.ms", "2");
    m.put("batch.size", "262144");
    m.put("max.request.size", "16777216");
    m.put("delivery.timeout.ms", "10000");
    m.put("request.timeout.ms", "5000");
    m.put("max.block.ms", "5000");
    m.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    m.put("value.serializer", "io.vertx.kafka.client.serialization.BufferSerializer");
    return m;
  }

  /** Consumer settings: manual commits only after the side effects are in PostgreSQL. */
  public Map<String, String> consumerConfig(String groupId, String clientId) {
    Map<String, String> m = new HashMap<>();
    m.put("bootstrap.servers", bootstrapServers());
    m.put("group.id", groupId);
    m.put("client.id", clientId);
    m.put("enable.auto.commit", "false");
    m.put("auto.offset.reset", "earliest");
    m.put("isolation.level", "read_committed");
    m.put("max.poll.records", "50");
    m.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    m.put("value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer");
    return m;
  }
}
