package dev.esprouter.analytics.events;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.KafkaMetrics;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Topics;
import dev.esprouter.common.facts.SendFacts;
import dev.esprouter.common.config.KafkaSettings;
import dev.esprouter.providers.webhook.WebhookParser;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status writer's consumer: the router's facts ({@code send.outcomes}) and the raw verified
 * webhook bodies ({@code webhooks.<provider>}, parsed with each provider's parser), each poll
 * recorded with one {@link StatusWriter} transaction, several polls at once on separate connections;
 * only then commits the offsets, in poll order (at-least-once; facts are idempotent and the dedupe
 * keys make a redelivered event change nothing). A failed
 * write is retried with the same records until it succeeds or the verticle stops, so nothing polled
 * is skipped. Also re-checks kept-aside events on a timer and tracks the consumer lag.
 */
public final class WebhookEventsVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(WebhookEventsVerticle.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final long RETRY_MS = 1000;
  private static final long LAG_EVERY_MS = 5000;

  private final KafkaSettings kafka;
  private final String groupId;
  private final Function<ProviderName, WebhookParser> parsers;
  private final StatusWriter writer;
  private final String outcomesTopic;
  private final UnmatchedRecheck recheck;
  private final long recheckEveryMs;
  private final AnalyticsMetrics metrics;
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private final Map<String, ProviderName> providerOfTopic = new HashMap<>();
  private KafkaConsumer<String, Buffer> consumer;
  private KafkaClientMetrics clientMetrics;
  private volatile boolean stopping;
  private final Promise<Void> loopEnded = Promise.promise();
  private final int writers;
  /** The commits of the polls being written, oldest first (completed ones are dropped when room is looked for). */
  private final ArrayDeque<Future<Void>> inFlight = new ArrayDeque<>();
  /** The commit of the latest poll started; the next poll's commit waits for it. */
  private Future<Void> lastCommit = Future.succeededFuture();
  private long recheckTimer = -1;
  private long lagTimer = -1;
  private boolean rechecking;

  public WebhookEventsVerticle(KafkaSettings kafka, Topics topics, String groupId,
                               Function<ProviderName, WebhookParser> parsers, StatusWriter writer,
                               UnmatchedRecheck recheck, long recheckEveryMs, int writers, AnalyticsMetrics metrics) {
    this.kafka = kafka;
    this.writers = writers;
    this.groupId = groupId;
    this.parsers = parsers;
    this.writer = writer;
    this.recheck = recheck;
    this.recheckEveryMs = recheckEveryMs;
    this.metrics = metrics;
    for (ProviderName p : ProviderName.values()) {
      providerOfTopic.put(topics.webhooks(p), p);
    }
    this.outcomesTopic = topics.outcomes();
  }

  @Override
  public Future<?> start() {
    Map<String, String> cfg = kafka.consumerConfig(groupId, "esp-analytics-" + deploymentID());
    consumer = KafkaConsumer.create(vertx, cfg);
    clientMetrics = KafkaMetrics.bind(metrics.registry(), consumer, "analytics");
    consumer.partitionsRevokedHandler(revoked -> revoked.forEach(positions::remove));
    Set<String> subscribed = new HashSet<>(providerOfTopic.keySet());
    subscribed.add(outcomesTopic);
    return consumer.subscribe(subscribed).onSuccess(v -> {
      next();
      recheckTimer = vertx.setPeriodic(recheckEveryMs, id -> recheckOnce());
      lagTimer = vertx.setPeriodic(LAG_EVERY_MS, id -> updateLag());
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(recheckTimer);
    vertx.cancelTimer(lagTimer);
    // The loop ends once the poll in hand is written and committed; then the consumer leaves the group.
    return loopEnded.future().otherwiseEmpty().compose(v -> consumer.close()).onComplete(ar -> clientMetrics.close());
  }

  /**
   * One turn of the loop: poll and parse (on a worker), wait until fewer than {@code writers} polls are
   * being written, start writing this one on its own connection and poll again. So parsing overlaps
   * the database and several polls are written at once (PostgreSQL's work per poll is mostly one
   * backend's CPU). Order does not matter to what is written (statuses only move forward, the dedupe
   * keys make a repeat change nothing), but it does to the offsets: each poll's offsets are committed
   * only after its own write and the commit of every poll before it, so a committed offset never
   * covers a record that is not yet in PostgreSQL.
   */
  private void next() {
    if (stopping) {
      lastCommit.onComplete(ar -> loopEnded.tryComplete());
      return;
    }
    consumer.poll(POLL_TIMEOUT)
        .compose(records -> records.isEmpty() ? Future.succeededFuture((Polled) null)
            : vertx.executeBlocking(() -> parse(records)))
        .onComplete(ar -> {
          if (ar.failed()) {
            log.warn("analytics: poll failed, retrying in {} ms: {}", RETRY_MS, ar.cause().toString());
            vertx.setTimer(RETRY_MS, t -> next());
            return;
          }
          Polled polled = ar.result();
          if (polled == null) {
            next();
            return;
          }
          roomToWrite().onComplete(room -> {
            startWrite(polled);
            next();
          });
        });
  }

  /** Completes once fewer than {@code writers} polls are in flight (commits complete in poll order: the oldest first). */
  private Future<Void> roomToWrite() {
    inFlight.removeIf(Future::isComplete);
    if (inFlight.size() < writers) {
      return Future.succeededFuture();
    }
    return inFlight.peekFirst().transform(ar -> roomToWrite());
  }

  private void startWrite(Polled polled) {
    Future<WriteResult> write = writeUntilDone(polled.events(), polled.facts());
    // A failed write (only when stopping) fails every later commit too: their offsets would skip its records.
    Future<Void> committed = lastCommit.compose(v -> write).compose(result -> commit(polled, result));
    lastCommit = committed;
    inFlight.addLast(committed);
  }

  /** One poll, parsed: its events and the offsets to commit once they are in PostgreSQL. */
  private record Polled(List<IncomingEvent> events, List<SendFacts> facts, Map<ProviderName, Long> perProvider,
                        Map<TopicPartition, OffsetAndMetadata> offsets) {
  }

  private Polled parse(KafkaConsumerRecords<String, Buffer> records) {
    List<IncomingEvent> events = new ArrayList<>();
    List<SendFacts> facts = new ArrayList<>();
    Map<ProviderName, Long> perProvider = new EnumMap<>(ProviderName.class);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> r = records.recordAt(i);
      offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1, null));
      if (r.topic().equals(outcomesTopic)) {
        try {
          facts.add(SendFacts.fromBuffer(r.value()));
        } catch (RuntimeException e) {
          metrics.unreadableFacts();
          log.error("analytics: unreadable router facts at {}-{}@{} skipped: {}", r.topic(), r.partition(), r.offset(),
              e.toString());
        }
        continue;
      }
      ProviderName provider = providerOfTopic.get(r.topic());
      List<DeliveryEvent> parsed = parse(provider, r);
      Instant receivedAt = receivedAt(r);
      for (DeliveryEvent e : parsed) {
        events.add(new IncomingEvent(withDedupeKey(e), receivedAt));
      }
      if (provider != null) {
        perProvider.merge(provider, (long) parsed.size(), Long::sum);
      }
    }
    return new Polled(events, facts, perProvider, offsets);
  }

  private Future<Void> commit(Polled polled, WriteResult result) {
    metrics.recorded(result);
    Map<ProviderName, Long> duplicates = new EnumMap<>(polled.perProvider());
    result.recorded().forEach(e -> duplicates.merge(e.event().provider(), -1L, Long::sum));
    result.unmatched().forEach(e -> duplicates.merge(e.event().provider(), -1L, Long::sum));
    duplicates.forEach((p, n) -> {
      if (n > 0) {
        metrics.duplicates(p, n);
      }
    });
    polled.offsets().forEach((tp, o) -> positions.put(tp, o.getOffset()));
    return consumer.commit(polled.offsets()).<Void>mapEmpty().recover(err -> {
      // A rebalance took the partitions: their new owner reads these records again, and the
      // dedupe keys make that change nothing.
      log.warn("analytics: offset commit failed (records will be seen again, harmlessly): {}", err.toString());
      return Future.succeededFuture();
    });
  }

  /** Retries the same events until PostgreSQL has them: skipping them would lose them once committed. */
  private Future<WriteResult> writeUntilDone(List<IncomingEvent> events, List<SendFacts> facts) {
    return writer.write(events, facts).recover(err -> {
      if (stopping) {
        // Not committed: the next consumer of these partitions gets the records again.
        return Future.failedFuture(err);
      }
      log.warn("analytics: writing {} events failed, retrying in {} ms: {}", events.size(), RETRY_MS, err.toString());
      return vertx.timer(RETRY_MS).compose(v -> writeUntilDone(events, facts));
    });
  }

  private List<DeliveryEvent> parse(ProviderName provider, KafkaConsumerRecord<String, Buffer> r) {
    WebhookParser parser = provider == null ? null : parsers.apply(provider);
    if (parser == null) {
      log.error("analytics: no parser for topic {} (offset {}); record skipped", r.topic(), r.offset());
      return List.of();
    }
    try {
      return parser.parse(r.value());
    } catch (RuntimeException e) {
      // Verified by the webhooks role yet not parseable: keep the position so it is found, and go on.
      metrics.unparseable(provider);
      log.warn("analytics: unparseable {} webhook at {}-{}@{}: {}", provider.wire(), r.topic(), r.partition(),
          r.offset(), e.getMessage());
      return List.of();
    }
  }

  /** An event without a provider dedupe key gets one from its content, so a redelivery still matches it. */
  private static DeliveryEvent withDedupeKey(DeliveryEvent e) {
    if (e.dedupeKey() != null && !e.dedupeKey().isEmpty()) {
      return e;
    }
    String key = "h:" + Integer.toHexString(e.toJson().encode().hashCode()) + ":" + e.type().wire() + ":"
        + e.occurredAt().toEpochMilli() + ":" + e.messageId() + ":" + e.providerMessageId() + ":" + e.recipient();
    return new DeliveryEvent(e.provider(), e.type(), e.messageId(), e.providerMessageId(), e.recipient(),
        e.occurredAt(), key, e.reason(), e.recipientSide(), e.raw());
  }

  private static Instant receivedAt(KafkaConsumerRecord<String, Buffer> r) {
    for (KafkaHeader h : r.headers()) {
      if (h.key().equals("esp-received-at")) {
        try {
          return Instant.ofEpochMilli(Long.parseLong(h.value().toString(StandardCharsets.UTF_8)));
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    return r.timestamp() > 0 ? Instant.ofEpochMilli(r.timestamp()) : Instant.now();
  }

  private void recheckOnce() {
    if (rechecking || stopping) {
      return;
    }
    rechecking = true;
    recheck.run()
        .onSuccess(matched -> matched.forEach(metrics::lateMatched))
        .onFailure(err -> log.warn("analytics: re-check of kept-aside events failed: {}", err.toString()))
        .onComplete(ar -> rechecking = false);
  }

  private void updateLag() {
    if (positions.isEmpty() || stopping) {
      return;
    }
    Set<TopicPartition> parts = new HashSet<>(positions.keySet());
    consumer.endOffsets(parts).onSuccess(ends -> {
      long lag = 0;
      for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
        Long pos = positions.get(e.getKey());
        if (pos != null) {
          lag += Math.max(0, e.getValue() - pos);
        }
      }
      metrics.lag(lag);
    });
  }
}
