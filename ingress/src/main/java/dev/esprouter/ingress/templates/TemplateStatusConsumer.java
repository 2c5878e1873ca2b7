package dev.esprouter.ingress.templates;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.KafkaSettings;
import dev.esprouter.providers.meta.MetaTemplateStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Meta's verified webhook bodies ({@code webhooks.meta}, written by the webhooks role) in a
 * consumer group of its own and applies the {@code message_template_status_update} changes to the
 * registry; message statuses (analytics' business) are skipped after a cheap look at the raw bytes.
 * Offsets are committed only once a poll's updates are in PostgreSQL; a failed write is retried, so
 * no update is skipped (a repeat changes nothing). Updates of another WhatsApp Business Account
 * than {@code META_WABA_ID} are ignored.
 */
public final class TemplateStatusConsumer extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(TemplateStatusConsumer.class);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final long RETRY_MS = 1000;

  private final KafkaSettings kafka;
  private final String topic;
  private final String groupId;
  private final Optional<String> wabaId;
  private final TemplateStatuses statuses;
  private final Promise<Void> ended = Promise.promise();
  private KafkaConsumer<String, Buffer> consumer;
  private volatile boolean stopping;

  TemplateStatusConsumer(KafkaSettings kafka, Topics topics, String groupId, Optional<String> wabaId,
                         TemplateStatuses statuses) {
    this.kafka = kafka;
    this.topic = topics.webhooks(ProviderName.META);
    this.groupId = groupId;
    this.wabaId = wabaId;
    this.statuses = statuses;
  }

  @Override
  public Future<?> start() {
    Map<String, String> cfg = kafka.consumerConfig(groupId, "esp-templates-" + deploymentID());
    consumer = KafkaConsumer.create(vertx, cfg);
    return consumer.subscribe(topic).onSuccess(v -> next());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return ended.future().otherwiseEmpty().compose(v -> consumer.close());
  }

  private void next() {
    if (stopping) {
      ended.tryComplete();
      return;
    }
    consumer.poll(POLL).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("templates: status poll failed, retrying in {} ms: {}", RETRY_MS, ar.cause().toString());
        vertx.setTimer(RETRY_MS, t -> next());
        return;
      }
      List<MetaTemplateStatus.Update> updates = updates(ar.result());
      applyUntilDone(updates, 0)
          .compose(v -> ar.result().isEmpty() ? Future.succeededFuture() : consumer.commit().recover(err -> {
            // Another member took the partitions: it reads these records again; applying twice changes nothing.
            log.warn("templates: offset commit failed (records will be read again): {}", err.toString());
            return Future.succeededFuture();
          }))
          .onComplete(x -> next());
    });
  }

  private List<MetaTemplateStatus.Update> updates(KafkaConsumerRecords<String, Buffer> records) {
    List<MetaTemplateStatus.Update> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> r = records.recordAt(i);
      if (!MetaTemplateStatus.mayContainUpdates(r.value())) {
        continue;
      }
      for (MetaTemplateStatus.Update u : MetaTemplateStatus.updates(r.value())) {
        if (wabaId.isEmpty() || u.wabaId() == null || wabaId.get().equals(u.wabaId())) {
          out.add(u);
        }
      }
    }
    return out;
  }

  /** Applies the updates in order; a failure is retried after a pause until it succeeds or the verticle stops. */
  private Future<Void> applyUntilDone(List<MetaTemplateStatus.Update> updates, int from) {
    if (from >= updates.size()) {
      return Future.succeededFuture();
    }
    MetaTemplateStatus.Update u = updates.get(from);
    return statuses.apply(u).transform(ar -> {
      if (ar.succeeded()) {
        if (!ar.result().isEmpty()) {
          log.info("templates: {} ({}) is now {} at Meta{}", u.name(), u.language(), u.event(),
              u.reason() == null ? "" : ": " + u.reason());
        }
        return applyUntilDone(updates, from + 1);
      }
      if (stopping) {
        return Future.failedFuture(ar.cause());
      }
      log.warn("templates: status update of {} not written, retrying in {} ms: {}", u.metaId(), RETRY_MS,
          ar.cause().toString());
      return vertx.timer(RETRY_MS).compose(t -> applyUntilDone(updates, from));
    });
  }
}
