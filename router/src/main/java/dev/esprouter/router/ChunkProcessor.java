package dev.esprouter.router;

import dev.esprouter.common.MessageStatus;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.WeightQuery;
import dev.esprouter.common.routing.Weights;
import dev.esprouter.router.routing.ChannelWeights;
import dev.esprouter.router.routing.ChunkRouter;
import dev.esprouter.router.routing.Placement;
import dev.esprouter.router.routing.RoutingResult;
import dev.esprouter.router.store.ChunkRecord;
import dev.esprouter.router.store.ChunkStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Routes one chunk end to end: claim its recipients in PostgreSQL (skipping those already sent or
 * being sent elsewhere), get the channel's weights, split and send with failover, record every
 * outcome in one statement, then hand what is left to {@code send.retry} (exponential backoff with
 * full jitter) or {@code send.dlq}. The future completes only when all of that is durable, so the
 * caller may then commit the chunk's offset.
 */
public final class ChunkProcessor {

  private final ChunkStore store;
  private final ChunkRouter router;
  private final ChannelWeights weights;
  private final RouterSettings settings;
  private final KafkaProducer<String, Buffer> producer;
  private final Topics topics;
  private final RouterMetrics metrics;
  private final ProviderHealth health;

  public ChunkProcessor(ChunkStore store, ChunkRouter router, ChannelWeights weights, RouterSettings settings,
                        KafkaProducer<String, Buffer> producer, Topics topics, RouterMetrics metrics,
                        ProviderHealth health) {
    this.store = store;
    this.router = router;
    this.weights = weights;
    this.settings = settings;
    this.producer = producer;
    this.topics = topics;
    this.metrics = metrics;
    this.health = health;
  }

  public Future<Void> process(SendChunk chunk) {
    if (chunk.recipients().isEmpty()) {
      return Future.succeededFuture();
    }
    return store.claim(chunk).compose(claim -> {
      if (claim.toSend().isEmpty()) {
        return deferLeased(chunk, claim);
      }
      return route(chunk, claim.toSend())
          .compose(result -> finish(chunk, result))
          .compose(v -> deferLeased(chunk, claim));
    });
  }

  private Future<RoutingResult> route(SendChunk chunk, List<Recipient> toSend) {
    if (chunk.provider() != null) {
      ProviderName pin = ProviderName.fromWire(chunk.provider());
      if (pin == null || pin.channel() != chunk.channel()) {
        return Future.succeededFuture(RoutingResult.rejectAll(toSend, "provider '" + chunk.provider()
            + "' does not serve " + chunk.channel().wire()));
      }
      return router.route(chunk, toSend, Weights.of(chunk.channel(), Map.of(pin, Weights.TOTAL)));
    }
    Future<WeightQuery> query = chunk.batchId() == null || chunk.chunkIndex() == 0
        ? Future.succeededFuture(WeightQuery.FRESH)
        : store.previousChunkSentAt(chunk.batchId(), chunk.chunkIndex()).map(at -> at
            .map(t -> WeightQuery.laterChunk(chunk.batchId(), t)).orElse(WeightQuery.FRESH));
    return query.compose(q -> weights.weights(chunk.channel(), q))
        .compose(w -> router.route(chunk, toSend, w));
  }

  private Future<Void> finish(SendChunk chunk, RoutingResult result) {
    ChunkRecord record = new ChunkRecord(chunk);
    List<Recipient> retry = new ArrayList<>();
    List<Recipient> dead = new ArrayList<>();
    boolean exhausted = chunk.attempt() + 1 >= settings.maxAttempts();
    Instant notBefore = Instant.now().plusMillis(retryDelayMs(chunk));
    for (Placement p : result.placements()) {
      Recipient r = p.recipient();
      switch (p.kind()) {
        // No event row for a send: the row's sent_at, provider and provider_message_id are the
        // timeline's "sent" entry (ReadApi), so a sent recipient costs one row write here, not two.
        case SENT -> record.status(r, MessageStatus.SENT, p.provider(), p.providerMessageId(), null);
        case FAILED -> {
          record.status(r, MessageStatus.FAILED, p.provider(), null, p.reason());
          record.event(r.messageId(), p.provider(), "failed", new JsonObject().put("reason", p.reason()));
          record.deadLetter(r, "permanent", p.reason());
        }
        case RETRY -> {
          if (exhausted) {
            record.status(r, MessageStatus.DEAD, null, null, p.reason());
            record.event(r.messageId(), null, "dead", new JsonObject().put("reason", p.reason())
                .put("attempts", chunk.attempt() + 1));
            record.deadLetter(r, "exhausted", p.reason());
            dead.add(r);
          } else {
            record.status(r, MessageStatus.QUEUED, null, null, p.reason());
            record.event(r.messageId(), null, "retry_scheduled", new JsonObject().put("reason", p.reason())
                .put("attempt", chunk.attempt() + 2).put("not_before", notBefore.toString()));
            retry.add(r);
          }
        }
        default -> throw new IllegalStateException(p.kind().name());
      }
    }
    for (RoutingResult.Event e : result.events()) {
      record.event(e.messageId(), e.provider(), e.type(), e.detail());
    }
    if (result.weights() != null) {
      record.weights(result.weights(), result.split());
      result.weights().points().forEach(metrics::weight);
    }
    return store.record(record)
        .compose(v -> retry.isEmpty() ? Future.succeededFuture()
            : publish(topics.retry(), chunk.withRecipients(retry, chunk.attempt() + 1, notBefore)))
        .compose(v -> dead.isEmpty() ? Future.succeededFuture()
            : publish(topics.deadLetters(), chunk.withRecipients(dead, chunk.attempt() + 1, null)))
        .onSuccess(v -> {
          metrics.retried(retry.size());
          metrics.deadLettered(dead.size());
        });
  }

  /**
   * Full-jitter backoff, but not before an open breaker of the channel can half-open: retrying
   * sooner would only spend attempts on a provider that is known to be refusing.
   */
  private long retryDelayMs(SendChunk chunk) {
    long backoff = settings.backoffMs(chunk.attempt(), ThreadLocalRandom.current().nextDouble());
    for (ProviderName p : ProviderName.of(chunk.channel())) {
      if (health.breaker(p) == ProviderHealth.Breaker.OPEN) {
        return Math.max(backoff, settings.breakerResetMs());
      }
    }
    return backoff;
  }

  /** Recipients another send holds: try again when its lease ends (same attempt; nothing was tried). */
  private Future<Void> deferLeased(SendChunk chunk, ChunkStore.Claim claim) {
    if (claim.leased().isEmpty()) {
      return Future.succeededFuture();
    }
    return publish(topics.retry(), chunk.withRecipients(claim.leased(), chunk.attempt(), claim.leaseEnds()));
  }

  private Future<Void> publish(String topic, SendChunk chunk) {
    return producer.send(SendRecords.of(topic, chunk)).mapEmpty();
  }
}
