package dev.esprouter.router.consumer;

import dev.esprouter.common.Priority;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.KafkaSettings;
import dev.esprouter.router.RouterMetrics;
import dev.esprouter.router.RouterSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's Kafka side: one consumer of the three lanes and {@code send.retry} in the router's
 * group. Fetched chunks wait in small per-partition queues; when a queue is full the partition is
 * paused (so a backlog stays in Kafka, not in the heap), and it resumes as chunks complete. The
 * {@link LaneScheduler} picks what to route next (5:3:1, tenant-fair), and a few in-flight slots
 * are kept for the high lane alone; a chunk whose time has not
 * come ({@code send_at} soon, a retry's {@code notBefore}) holds its partition until a timer fires —
 * no busy polling. A chunk's offset is committed only after {@link ChunkHandler} says everything it
 * did is in PostgreSQL (and its retries in Kafka); a failure is retried after a second. On every
 * rebalance the share of assigned partitions is reported, so provider limits are split across processes.
 */
public final class ChunkConsumerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ChunkConsumerVerticle.class);
  private static final long COMMIT_EVERY_MS = 200;
  private static final long LAG_EVERY_MS = 5_000;

  /** Routes chunks for the consumer; built on the consumer's event loop so all routing state is confined to it. */
  public interface ChunkHandler {

    /** Starts what the handler needs before the first chunk (its ledger registration). */
    Future<Void> start();

    /** Routes one chunk; the future completes when the chunk's offset may be committed. */
    Future<Void> route(Pending pending);

    /**
     * Dead-letters a chunk that failed {@code attempts} times for a data error (it would fail the same
     * way forever): its recipients dead with the reason, the record on {@code send.dlq}.
     */
    Future<Void> poison(Pending pending, String reason);

    /** Dead-letters a record that is not a chunk at all (its raw bytes on {@code send.dlq}). */
    Future<Void> unreadable(String topic, int partition, long offset, String key, Buffer value, String reason);

    /** No new provider calls: chunks that would make one end unfinished (not committed). */
    void stopTakingWork();

    /** Ledger writes not yet committed (outcomes of answered calls): shutdown waits for them. */
    int ledgerBacklog();

    /** This process's share of the assigned partitions, after every rebalance. */
    void share(double share);

    /** True when the chunk's {@code send_at} is too far off to hold its partition for; it is parked instead. */
    boolean parks(SendChunk chunk, Instant now);

    Future<Void> close();
  }

  private final KafkaSettings kafka;
  private final RouterSettings settings;
  private final Topics topics;
  private final RouterMetrics metrics;
  private final Function<io.vertx.core.Vertx, ChunkHandler> handlerFactory;
  private KafkaConsumer<String, Buffer> consumer;
  private ChunkHandler handler;
  private LaneScheduler scheduler;
  private final Set<TopicPartition> dirty = new HashSet<>();
  private int inFlight;
  private boolean stopping;
  private long dueTimer = -1;
  private Instant dueAt;
  private int totalPartitions;
  private final List<Long> timers = new ArrayList<>();

  private final Map<String, Integer> failures = new HashMap<>();

  public ChunkConsumerVerticle(KafkaSettings kafka, RouterSettings settings, Topics topics, RouterMetrics metrics,
                               Function<io.vertx.core.Vertx, ChunkHandler> handlerFactory) {
    this.kafka = kafka;
    this.settings = settings;
    this.topics = topics;
    this.metrics = metrics;
    this.handlerFactory = handlerFactory;
  }

  @Override
  public Future<?> start() {
    handler = handlerFactory.apply(vertx);
    scheduler = new LaneScheduler(settings.partitionInFlight());
    Map<String, String> cfg = kafka.consumerConfig(settings.consumerGroup(), "esp-router-" + deploymentID());
    // Bounded fetch buffers: with partitions paused under backpressure, this is most of what a backlog costs in heap.
    cfg.put("max.poll.records", "20");
    cfg.put("max.partition.fetch.bytes", "1048576");
    cfg.put("fetch.max.bytes", "8388608");
    cfg.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    // A process that dies gives its partitions up after this long: the ledger lets the next owner resume at
    // once (no lease to wait for), so this is the takeover time after a kill -9.
    cfg.put("session.timeout.ms", String.valueOf(settings.sessionTimeoutMs()));
    cfg.put("heartbeat.interval.ms", String.valueOf(Math.max(100, settings.sessionTimeoutMs() / 3)));
    consumer = KafkaConsumer.create(vertx, cfg);
    consumer.partitionsAssignedHandler(this::assigned);
    consumer.partitionsRevokedHandler(this::revoked);
    timers.add(vertx.setPeriodic(COMMIT_EVERY_MS, id -> commit()));
    timers.add(vertx.setPeriodic(LAG_EVERY_MS, id -> reportLag()));
    return handler.start().compose(x -> partitionCount()).compose(n -> {
      totalPartitions = n;
      return consumer.subscribe(Set.of(topics.send(Priority.HIGH), topics.send(Priority.NORMAL),
          topics.send(Priority.LOW), topics.retry()));
    }).onSuccess(v -> poll());
  }

  private Future<Integer> partitionCount() {
    List<Future<Integer>> counts = new ArrayList<>();
    for (String t : List.of(topics.send(Priority.HIGH), topics.send(Priority.NORMAL), topics.send(Priority.LOW),
        topics.retry())) {
      counts.add(consumer.partitionsFor(t).map(List::size));
    }
    return Future.all(counts).map(all -> counts.stream().mapToInt(Future::result).sum());
  }

  private void poll() {
    if (stopping) {
      return;
    }
    consumer.poll(Duration.ofMillis(100)).onComplete(ar -> {
      if (ar.succeeded()) {
        onRecords(ar.result());
      } else if (!stopping) {
        log.warn("poll of the send lanes failed: {}", ar.cause().toString());
      }
      poll();
    });
  }

  private void onRecords(KafkaConsumerRecords<String, Buffer> records) {
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> rec = records.recordAt(i);
      TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
      PartitionQueue q = scheduler.partition(tp);
      if (q == null || rec.offset() <= q.fetchedUpTo) {
        continue;
      }
      q.fetchedUpTo = rec.offset();
      SendChunk chunk;
      try {
        chunk = SendChunk.fromBuffer(rec.value());
        if (chunk.recipients() == null || chunk.channel() == null || chunk.priority() == null) {
          throw new IllegalArgumentException("not a send chunk (no recipients, channel or priority)");
        }
      } catch (RuntimeException e) {
        // Nothing can route it and retrying will not help: to the dead-letter topic, and the partition moves on.
        unreadable(q, rec, e);
        continue;
      }
      // A far-off send_at is dispatched at once so the handler can park it instead of holding the partition.
      Instant due = handler.parks(chunk, Instant.now()) ? null : Pending.dueOf(chunk);
      q.queued.add(new Pending(tp, rec.offset(), chunk, due));
      if (!q.paused && q.queued.size() >= settings.queuedPerPartition()) {
        q.paused = true;
        consumer.pause(tp);
      }
    }
    dispatch();
  }

  private void dispatch() {
    Instant now = Instant.now();
    while (!stopping && inFlight < settings.maxInFlight()) {
      // The last highReserved slots are the high lane's: low and normal work can fill the rest only.
      Pending p = scheduler.next(now, inFlight >= settings.maxInFlight() - settings.highReserved());
      if (p == null) {
        break;
      }
      inFlight++;
      run(p);
    }
    armDueTimer(now);
  }

  /**
   * A record that is not a chunk: its bytes go to {@code send.dlq} and its offset is done once they
   * are there (retried every second until then, so nothing is skipped unseen).
   */
  private void unreadable(PartitionQueue q, KafkaConsumerRecord<String, Buffer> rec, RuntimeException e) {
    log.error("send record {}-{}@{} is not a chunk, dead-lettered: {}", rec.topic(), rec.partition(), rec.offset(),
        e.toString());
    q.inFlight.add(rec.offset());
    inFlight++;
    deadLetterUnreadable(q, rec, e.toString());
  }

  private void deadLetterUnreadable(PartitionQueue q, KafkaConsumerRecord<String, Buffer> rec, String reason) {
    handler.unreadable(rec.topic(), rec.partition(), rec.offset(), rec.key(), rec.value(), reason).onComplete(ar -> {
      if (ar.failed() && !stopping && scheduler.partition(q.tp) != null) {
        vertx.setTimer(1000, id -> deadLetterUnreadable(q, rec, reason));
        return;
      }
      inFlight--;
      if (ar.succeeded() && scheduler.partition(q.tp) == q) {
        q.inFlight.remove(rec.offset());
        dirty.add(q.tp);
      }
      dispatch();
    });
  }

  private void run(Pending p) {
    handler.route(p).onComplete(ar -> {
      if (ar.failed() && !stopping && scheduler.partition(p.tp()) != null) {
        String key = p.tp().getTopic() + '-' + p.tp().getPartition() + '@' + p.offset();
        if (PoisonCheck.isDataError(ar.cause())) {
          int n = failures.merge(key, 1, Integer::sum);
          if (n >= settings.poisonAttempts()) {
            failures.remove(key);
            log.error("chunk {} failed {} times for a data error, dead-lettering it: {}", key, n, ar.cause().toString());
            poison(p, ar.cause().toString());
            return;
          }
        }
        log.warn("routing chunk {} failed, retrying in 1 s: {}", key, ar.cause().toString());
        vertx.setTimer(1000, id -> run(p));
        return;
      }
      failures.remove(p.tp().getTopic() + '-' + p.tp().getPartition() + '@' + p.offset());
      inFlight--;
      PartitionQueue q = scheduler.partition(p.tp());
      if (q != null && ar.succeeded()) {
        q.inFlight.remove(p.offset());
        dirty.add(p.tp());
        if (q.paused && q.queued.size() < settings.queuedPerPartition()) {
          q.paused = false;
          consumer.resume(p.tp());
        }
      }
      dispatch();
    });
  }

  /** Dead-letters a poisoned chunk, then completes it like a routed one (retried every second until done). */
  private void poison(Pending p, String reason) {
    handler.poison(p, reason).onComplete(ar -> {
      if (ar.failed() && !stopping && scheduler.partition(p.tp()) != null) {
        log.warn("dead-lettering chunk {}-{}@{} failed, retrying in 1 s: {}", p.tp().getTopic(), p.tp().getPartition(),
            p.offset(), ar.cause().toString());
        vertx.setTimer(1000, id -> poison(p, reason));
        return;
      }
      inFlight--;
      PartitionQueue q = scheduler.partition(p.tp());
      if (q != null && ar.succeeded()) {
        q.inFlight.remove(p.offset());
        dirty.add(p.tp());
        if (q.paused && q.queued.size() < settings.queuedPerPartition()) {
          q.paused = false;
          consumer.resume(p.tp());
        }
      }
      dispatch();
    });
  }

  /** One timer for the earliest chunk that waits only for its time. */
  private void armDueTimer(Instant now) {
    Instant next = scheduler.nextDue(now);
    if (next == null || (dueTimer >= 0 && dueAt != null && !next.isBefore(dueAt))) {
      return;
    }
    if (dueTimer >= 0) {
      vertx.cancelTimer(dueTimer);
    }
    dueAt = next;
    dueTimer = vertx.setTimer(Math.max(1, Duration.between(now, next).toMillis() + 1), id -> {
      dueTimer = -1;
      dueAt = null;
      dispatch();
    });
  }

  private Future<Void> commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : dirty) {
      PartitionQueue q = scheduler.partition(tp);
      if (q == null) {
        continue;
      }
      long pos = q.commitPosition();
      if (pos > q.committed) {
        offsets.put(tp, new OffsetAndMetadata(pos, ""));
      }
    }
    dirty.clear();
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    return consumer.commit(offsets).onSuccess(done -> offsets.forEach((tp, o) -> {
      PartitionQueue q = scheduler.partition(tp);
      if (q != null) {
        q.committed = Math.max(q.committed, o.getOffset());
      }
    })).onFailure(err -> {
      log.warn("offset commit failed (will retry): {}", err.toString());
      dirty.addAll(offsets.keySet());
    }).mapEmpty();
  }

  private void assigned(Set<TopicPartition> tps) {
    tps.forEach(scheduler::add);
    reportShare();
    log.info("router assigned {} partitions ({} held)", tps.size(), scheduler.all().size());
  }

  private void revoked(Set<TopicPartition> tps) {
    commit();
    for (TopicPartition tp : tps) {
      scheduler.remove(tp);
    }
    reportShare();
  }

  private void reportShare() {
    if (totalPartitions > 0) {
      handler.share(Math.max(1, scheduler.all().size()) / (double) totalPartitions);
    }
  }

  private void reportLag() {
    Set<TopicPartition> held = new HashSet<>();
    scheduler.all().forEach(q -> held.add(q.tp));
    if (held.isEmpty()) {
      return;
    }
    consumer.endOffsets(held).onSuccess(ends -> {
      Map<String, Long> byTopic = new HashMap<>();
      ends.forEach((tp, end) -> {
        PartitionQueue q = scheduler.partition(tp);
        long done = q == null ? end : Math.max(q.committed, q.commitPosition());
        byTopic.merge(tp.getTopic(), Math.max(0, end - Math.max(0, done)), Long::sum);
      });
      for (Priority p : Priority.values()) {
        metrics.lag(p, byTopic.getOrDefault(topics.send(p), 0L));
      }
      metrics.retryLag(byTopic.getOrDefault(topics.retry(), 0L));
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    timers.forEach(vertx::cancelTimer);
    if (dueTimer >= 0) {
      vertx.cancelTimer(dueTimer);
    }
    handler.stopTakingWork();
    // Calls in flight get their whole timeout, and their answers are written, before offsets are committed.
    return drained(System.currentTimeMillis() + settings.drainMs())
        .compose(v -> {
          scheduler.all().forEach(q -> dirty.add(q.tp));
          return commit();
        })
        .eventually(() -> consumer.close())
        .eventually(() -> handler.close());
  }

  /** Waits (on timers, not blocking) for chunks in flight to finish, up to a deadline. */
  private Future<Void> drained(long deadline) {
    if ((inFlight == 0 && handler.ledgerBacklog() == 0) || System.currentTimeMillis() > deadline) {
      if (inFlight > 0 || handler.ledgerBacklog() > 0) {
        log.warn("router stopping with {} chunks unfinished and {} ledger writes pending after {} ms: their "
            + "offsets are not committed, the next owner resumes them from the ledger", inFlight,
            handler.ledgerBacklog(), settings.drainMs());
      }
      return Future.succeededFuture();
    }
    return vertx.timer(20).compose(v -> drained(deadline));
  }
}
