package dev.esprouter.ingress;

import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.KafkaSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts send chunks into Kafka, on the lane of their priority, and reports success only once Kafka
 * acknowledged them ({@code acks=all}). One record is atomic on its own, so single messages and
 * one-chunk batches go through one shared idempotent producer, straight from the event loop (its
 * send never blocks: topic metadata is fetched at start, {@code max.block.ms} is short and the bytes
 * in flight are bounded below the producer's buffer, beyond which requests are refused with 503
 * instead of queueing). A batch of several chunks is written in one Kafka transaction: consumers read
 * {@code read_committed}, so either every chunk of the batch becomes visible or none ever does.
 * Transactional producers handle one transaction at a time, so a few of them work in parallel on
 * worker threads (their commit blocks).
 */
final class SendPublisher {

  private static final Logger log = LoggerFactory.getLogger(SendPublisher.class);

  private final Vertx vertx;
  private final Topics topics;
  private final IngressSettings settings;
  private final KafkaProducer<String, Buffer> plain;
  private final BlockingQueue<TxSlot> idle;
  private final List<TxSlot> slots = new ArrayList<>();
  private final WorkerExecutor txWorkers;
  private final AtomicLong bytesInFlight = new AtomicLong();
  private final AtomicInteger batchesInFlight = new AtomicInteger();

  SendPublisher(Vertx vertx, KafkaSettings kafka, Topics topics, IngressSettings settings) {
    this.vertx = vertx;
    this.topics = topics;
    this.settings = settings;
    Map<String, Object> cfg = new HashMap<>(kafka.producerConfig("esp-ingress"));
    cfg.put("max.block.ms", "250");
    cfg.put("request.timeout.ms", requestTimeout(settings));
    cfg.put("delivery.timeout.ms", Long.toString(settings.kafkaTimeoutMs()));
    cfg.put("buffer.memory", Long.toString(settings.maxBytesInFlight() * 2));
    this.plain = new KafkaProducer<>(cfg);
    String processId = UUID.randomUUID().toString().substring(0, 8);
    this.idle = new ArrayBlockingQueue<>(settings.txProducers());
    for (int i = 0; i < settings.txProducers(); i++) {
      Map<String, Object> tx = new HashMap<>(kafka.producerConfig("esp-ingress-tx-" + i));
      tx.put("transactional.id", "esp-ingress-" + processId + "-" + i);
      tx.put("transaction.timeout.ms", "30000");
      tx.put("request.timeout.ms", requestTimeout(settings));
      tx.put("delivery.timeout.ms", Long.toString(settings.kafkaTimeoutMs()));
      tx.put("max.block.ms", Long.toString(settings.kafkaTimeoutMs()));
      TxSlot slot = new TxSlot(tx);
      slots.add(slot);
      idle.add(slot);
    }
    this.txWorkers = vertx.createSharedWorkerExecutor("esp-ingress-kafka-tx", settings.txProducers(),
        settings.kafkaTimeoutMs() * 3, TimeUnit.MILLISECONDS);
  }

  /** Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms. */
  private static String requestTimeout(IngressSettings s) {
    return Long.toString(Math.min(3000, s.kafkaTimeoutMs() - 50));
  }

  /** Fetches the lanes' metadata and readies the transactional producers if it can (blocking: call on a worker). */
  void warmUp() {
    warmUpLanes();
    for (TxSlot s : slots) {
      try {
        s.ready();
      } catch (RuntimeException e) {
        // A fresh broker may still be creating its transaction log; the slot retries on first use.
        log.warn("transactional producer not ready yet ({}); it will initialise on the first batch", e.toString());
      }
    }
  }

  /** Fetches the lanes' metadata only: for publishers that send single records (blocking: call on a worker). */
  void warmUpLanes() {
    long deadline = System.currentTimeMillis() + 30_000;
    for (dev.esprouter.common.Priority p : dev.esprouter.common.Priority.values()) {
      while (true) {
        try {
          plain.partitionsFor(topics.send(p));
          break;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          // max.block.ms is short on purpose (sends never stall an event loop); here we may wait.
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
        }
      }
    }
  }

  /** One record, acknowledged by every in-sync replica. */
  Future<Void> publish(SendChunk chunk, String traceId) {
    return publish(chunk, chunk.toBuffer(), traceId);
  }

  private Future<Void> publish(SendChunk chunk, Buffer value, String traceId) {
    int size = value.length();
    if (bytesInFlight.addAndGet(size) > settings.maxBytesInFlight()) {
      bytesInFlight.addAndGet(-size);
      return Future.failedFuture(new KafkaRefused("too much is waiting for Kafka already", null));
    }
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    try {
      plain.send(record(chunk, value, traceId), (md, err) -> {
        bytesInFlight.addAndGet(-size);
        ctx.runOnContext(v -> {
          if (err == null) {
            done.complete();
          } else {
            done.fail(new KafkaRefused("Kafka did not acknowledge: " + err, err));
          }
        });
      });
    } catch (RuntimeException e) {
      bytesInFlight.addAndGet(-size);
      return Future.failedFuture(new KafkaRefused("Kafka refused the record: " + e, e));
    }
    return done.future();
  }

  /**
   * Every chunk of a batch or none: one chunk is one record; several are one transaction, committed
   * only if every chunk was acknowledged and {@code gate} (the batch's database rows) succeeded, else
   * aborted, so a read_committed consumer never sees any of them.
   */
  Future<Void> publishAll(List<Chunker.Encoded> chunks, String traceId, Future<Void> gate) {
    if (chunks.size() == 1) {
      return gate.compose(v -> publish(chunks.get(0).chunk(), chunks.get(0).value(), traceId));
    }
    if (batchesInFlight.incrementAndGet() > settings.maxBatchesInFlight()) {
      batchesInFlight.decrementAndGet();
      return Future.failedFuture(new KafkaRefused("too many batches are waiting for Kafka already", null));
    }
    List<ProducerRecord<String, Buffer>> records = new ArrayList<>(chunks.size());
    for (Chunker.Encoded c : chunks) {
      records.add(record(c.chunk(), c.value(), traceId));
    }
    java.util.concurrent.CompletableFuture<Void> gateDone = gate.toCompletionStage().toCompletableFuture();
    return txWorkers.<Void>executeBlocking(() -> {
      TxSlot slot = idle.take();
      try {
        slot.sendAll(records, gateDone, settings.kafkaTimeoutMs());
        return null;
      } finally {
        idle.add(slot);
      }
    }, false).recover(err -> Future.failedFuture(err instanceof KafkaRefused ? err
        : new KafkaRefused("Kafka did not take the batch: " + err, err)))
        .eventually(() -> {
          batchesInFlight.decrementAndGet();
          return Future.succeededFuture();
        });
  }

  private ProducerRecord<String, Buffer> record(SendChunk chunk, Buffer value, String traceId) {
    ProducerRecord<String, Buffer> r = new ProducerRecord<>(topics.send(chunk.priority()), chunk.key(), value);
    r.headers().add(new RecordHeader(Topics.HEADER_TENANT, chunk.tenantId().getBytes(StandardCharsets.UTF_8)));
    r.headers().add(new RecordHeader(Topics.HEADER_PRIORITY, chunk.priority().wire().getBytes(StandardCharsets.UTF_8)));
    r.headers().add(new RecordHeader(Topics.HEADER_TRACE_ID, traceId.getBytes(StandardCharsets.UTF_8)));
    return r;
  }

  Future<Void> close() {
    return vertx.<Void>executeBlocking(() -> {
      plain.close(Duration.ofSeconds(2));
      for (TxSlot s : slots) {
        s.close();
      }
      return null;
    }).eventually(() -> txWorkers.close());
  }

  /**
   * One transactional producer, used by one worker thread at a time. After any failure the open
   * transaction is aborted; if even that fails the producer is closed and a new one is made with the
   * same transactional id, whose initialisation fences the old one and makes the coordinator abort
   * whatever it left open.
   */
  private static final class TxSlot {
    private final Map<String, Object> config;
    private KafkaProducer<String, Buffer> producer;

    TxSlot(Map<String, Object> config) {
      this.config = config;
    }

    synchronized void ready() {
      if (producer == null) {
        KafkaProducer<String, Buffer> p = new KafkaProducer<>(config);
        try {
          p.initTransactions();
        } catch (RuntimeException e) {
          p.close(Duration.ZERO);
          throw e;
        }
        producer = p;
      }
    }

    synchronized void sendAll(List<ProducerRecord<String, Buffer>> records,
                              java.util.concurrent.CompletableFuture<Void> gate, long timeoutMs) throws Exception {
      ready();
      try {
        producer.beginTransaction();
        for (ProducerRecord<String, Buffer> r : records) {
          producer.send(r);
        }
        gate.get(timeoutMs, TimeUnit.MILLISECONDS);
        producer.commitTransaction();
      } catch (Exception e) {
        abort();
        throw e;
      }
    }

    private void abort() {
      try {
        producer.abortTransaction();
      } catch (RuntimeException e) {
        log.warn("could not abort a Kafka transaction ({}); replacing the producer", e.toString());
        close();
      }
    }

    synchronized void close() {
      if (producer != null) {
        producer.close(Duration.ZERO);
        producer = null;
      }
    }
  }
}
