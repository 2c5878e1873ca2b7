package dev.esprouter.router.it;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Ids;
import dev.esprouter.common.Priority;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.EspConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Builds and publishes send chunks the way ingress does, and waits for conditions in integration tests. */
final class RouterFixture implements AutoCloseable {

  private final KafkaProducer<String, byte[]> producer;
  private final Topics topics;
  private final String bootstrap;

  RouterFixture(EspConfig config) {
    Properties p = new Properties();
    p.put("bootstrap.servers", config.kafka().bootstrapServers());
    p.put("acks", "all");
    p.put("linger.ms", "5");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    topics = new Topics(config.kafka().topicPrefix());
    bootstrap = config.kafka().bootstrapServers();
  }

  static Content email() {
    return new Content("Shop <noreply@shop.example>", null, "Hi {{name}}", "<p>Hi {{name}}</p>", "Hi {{name}}", null, null);
  }

  /** A batch of {@code n} email recipients cut into chunks of at most 500. */
  static List<SendChunk> batch(String tenant, Channel channel, Content content, Priority priority, int n, String pin) {
    String batchId = Ids.batch();
    int chunks = (n + SendChunk.MAX_RECIPIENTS - 1) / SendChunk.MAX_RECIPIENTS;
    List<SendChunk> out = new ArrayList<>();
    for (int c = 0; c < chunks; c++) {
      List<Recipient> rs = new ArrayList<>();
      for (int i = c * SendChunk.MAX_RECIPIENTS; i < Math.min(n, (c + 1) * SendChunk.MAX_RECIPIENTS); i++) {
        String to = channel == Channel.EMAIL ? "user" + i + "@" + batchId.toLowerCase() + ".example"
            : channel == Channel.TELEGRAM ? String.valueOf(1_000_000 + i) : "+1415555" + String.format("%04d", i);
        rs.add(new Recipient(Ids.message(), to, new io.vertx.core.json.JsonObject().put("name", "U" + i), null));
      }
      out.add(new SendChunk(batchId, tenant, c, chunks, channel, priority, pin, null, null, 0, content, rs,
          Instant.now(), null));
    }
    return out;
  }

  void publish(SendChunk chunk) {
    publish(topics.send(chunk.priority()), chunk);
  }

  void publish(String topic, SendChunk chunk) {
    try {
      producer.send(new ProducerRecord<>(topic, chunk.key(), chunk.toBuffer().getBytes())).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Any bytes as a send record (bad input). */
  void publishRaw(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The records of {@code topic} (read from the start) that match, once at least {@code atLeast} do or
   * after {@code seconds}.
   */
  java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records(String topic,
      java.util.function.Predicate<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> match, int atLeast,
      int seconds) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "fixture-" + java.util.UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(java.util.List.of(topic));
      long deadline = System.currentTimeMillis() + seconds * 1000L;
      while (System.currentTimeMillis() < deadline && (atLeast == 0 || out.size() < atLeast)) {
        for (var r : consumer.poll(java.time.Duration.ofMillis(200))) {
          if (match.test(r)) {
            out.add(r);
          }
        }
      }
    }
    if (out.size() < atLeast) {
      throw new AssertionError("only " + out.size() + " matching records on " + topic + " within " + seconds + " s");
    }
    return out;
  }

  Topics topics() {
    return topics;
  }

  /** Waits until the condition holds (checking every 100 ms) or fails after {@code seconds}. */
  static void await(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A pause for what must not happen (there is no condition to wait for). */
  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
