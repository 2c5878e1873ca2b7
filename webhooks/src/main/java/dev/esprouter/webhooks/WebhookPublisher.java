package dev.esprouter.webhooks;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Topics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes verified webhook bodies, byte for byte, to {@code webhooks.<provider>} (key = provider,
 * header {@code esp-received-at} = epoch ms) through the process's one producer (acks=all,
 * idempotent), and completes only when Kafka has acknowledged the record. While Kafka is slow or
 * down, bodies waiting for an acknowledgement are capped in bytes: past the cap a request fails at
 * once with {@link Overloaded} instead of piling up in memory (the provider retries a 503).
 */
final class WebhookPublisher {

  static final String HEADER_RECEIVED_AT = "esp-received-at";

  /** Too many bytes already wait for Kafka. */
  static final class Overloaded extends RuntimeException {
    Overloaded(long waiting) {
      super(waiting + " bytes of webhooks already wait for Kafka", null, false, false);
    }
  }

  private final KafkaProducer<String, Buffer> producer;
  private final Topics topics;
  private final long maxWaitingBytes;
  private final AtomicLong waitingBytes = new AtomicLong();

  WebhookPublisher(KafkaProducer<String, Buffer> producer, Topics topics, long maxWaitingBytes) {
    this.producer = producer;
    this.topics = topics;
    this.maxWaitingBytes = maxWaitingBytes;
  }

  Future<Void> publish(ProviderName provider, Buffer body, Instant receivedAt) {
    long size = body.length();
    long waiting = waitingBytes.addAndGet(size);
    if (waiting > maxWaitingBytes && waiting != size) {
      waitingBytes.addAndGet(-size);
      return Future.failedFuture(new Overloaded(waiting - size));
    }
    KafkaProducerRecord<String, Buffer> record = KafkaProducerRecord.create(topics.webhooks(provider), provider.wire(),
        body);
    record.addHeader(HEADER_RECEIVED_AT, Buffer.buffer(Long.toString(receivedAt.toEpochMilli())
        .getBytes(StandardCharsets.US_ASCII)));
    return producer.send(record)
        .<Void>mapEmpty()
        .eventually(() -> {
          waitingBytes.addAndGet(-size);
          return Future.succeededFuture();
        });
  }

  long waitingBytes() {
    return waitingBytes.get();
  }

  Future<Void> close() {
    return producer.close();
  }
}
