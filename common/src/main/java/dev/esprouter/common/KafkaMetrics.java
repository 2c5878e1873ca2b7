package dev.esprouter.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.List;
import org.apache.kafka.clients.admin.AdminClient;

/**
 * Publishes a Kafka client's own metrics (request rates and latencies, record send rate, consumer
 * fetch lag, ...) as {@code kafka_*} meters tagged with the component that owns the client. Close
 * the returned binder with the client.
 */
public final class KafkaMetrics {

  private KafkaMetrics() {
  }

  public static KafkaClientMetrics bind(MeterRegistry registry, KafkaProducer<?, ?> producer, String component) {
    return bind(registry, new KafkaClientMetrics(producer.unwrap(), tags(component)));
  }

  public static KafkaClientMetrics bind(MeterRegistry registry, KafkaConsumer<?, ?> consumer, String component) {
    return bind(registry, new KafkaClientMetrics(consumer.unwrap(), tags(component)));
  }

  public static KafkaClientMetrics bind(MeterRegistry registry, AdminClient admin, String component) {
    return bind(registry, new KafkaClientMetrics(admin, tags(component)));
  }

  private static KafkaClientMetrics bind(MeterRegistry registry, KafkaClientMetrics metrics) {
    if (registry != null) {
      metrics.bindTo(registry);
    }
    return metrics;
  }

  private static List<Tag> tags(String component) {
    return List.of(Tag.of("component", component));
  }
}
