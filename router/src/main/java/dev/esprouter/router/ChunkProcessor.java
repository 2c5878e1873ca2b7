package dev.esprouter.router;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import dev.esprouter.common.routing.ChunkGate;
import dev.esprouter.common.routing.ChunkGates;
import dev.esprouter.router.ledger.LedgerReader;
import dev.esprouter.router.ledger.LedgerRequest;
import dev.esprouter.router.ledger.LedgerRequest;
import dev.esprouter.router.ledger.LedgerWriter;
import dev.esprouter.router.provider.ProviderClient;
import dev.esprouter.router.routing.SharePlanner;
import dev.esprouter.router.store.DeadLetters;
import dev.esprouter.router.store.ParkedChunks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import dev.esprouter.common.facts.SendFacts;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Routes chunks, one {@link ChunkRun} each (docs/LEDGER.md): asks the chunk gates (a paused campaign
 * holds, a cancelled one drops), then plans, writes each call's intent to the ledger before making
 * it and its answer as soon as it comes, fails over, and once every recipient is placed writes the
 * chunk done and publishes its facts ({@code send.outcomes}) and its retry or dead-letter records.
 * The future of a chunk completes only when all of that is durable, so the caller may then commit
 * its offset. The same chunk delivered twice at once in this process runs once: the second waits
 * for the first and then finds it done in the ledger. Confined to the router's event loop.
 */
public final class ChunkProcessor {

  /** What a run needs; built once by {@link RouterEngine}. */
  record Parts(Vertx vertx, LedgerWriter writer, LedgerReader reader, SharePlanner planner,
               Map<ProviderName, ProviderClient> clients, ChunkGates gates, DeadLetters deadLetters,
               ParkedChunks parked, KafkaProducer<String, Buffer> producer, Topics topics, RouterSettings settings,
               RouterMetrics metrics, String incarnation) {
  }

  /** The chunk was not finished because the router is stopping: its offset must not be committed. */
  static final class Stopping extends RuntimeException {
    Stopping() {
      super("the router is stopping", null, false, false);
    }
  }

  private final Parts parts;
  private final Map<String, Future<Void>> running = new HashMap<>();
  private boolean stopping;

  ChunkProcessor(Parts parts) {
    this.parts = parts;
  }

  /** Routes {@code chunk}, fetched from {@code topic}. */
  public Future<Void> process(SendChunk chunk, String topic) {
    if (chunk.recipients().isEmpty()) {
      return Future.succeededFuture();
    }
    String key = chunk.ledgerKey() + '#' + chunk.attempt();
    Future<Void> before = running.get(key);
    if (before != null) {
      return before.transform(ar -> process(chunk, topic));
    }
    Future<Void> run = decide(chunk).compose(d -> switch (d.kind()) {
      case HOLD -> parts.parked().park(topic, chunk, d.until());
      case PROCEED, FAIL, CANCEL -> new ChunkRun(parts, chunk, d, () -> stopping).run();
    });
    running.put(key, run);
    run.onComplete(ar -> running.remove(key));
    return run;
  }

  /**
   * Dead-letters a chunk that keeps failing for a data error: its recipients not accepted by a provider
   * (as far as the ledger can tell) are dead with the reason — dead letters with the text PostgreSQL
   * refused cleaned, facts, and the chunk itself on {@code send.dlq} with the reason in a header.
   */
  public Future<Void> poison(SendChunk chunk, String reason) {
    parts.metrics().poison();
    String why = "poison: " + DeadLetters.clean(reason);
    LedgerRequest.ChunkRef ref = new LedgerRequest.ChunkRef(DeadLetters.clean(chunk.ledgerKey()), chunk.attempt());
    Future<Set<String>> accepted = parts.reader().load(ref).map(state -> {
      Set<String> ids = new HashSet<>();
      for (var c : state.calls()) {
        for (int i = 0; !c.open() && i < c.messageIds().size(); i++) {
          if (c.result(i) == 'a' || c.result(i) == 'r') {
            ids.add(c.messageIds().get(i));
          }
        }
      }
      return ids;
    }).otherwise(Set.of());
    return accepted.compose(settled -> {
      List<DeadLetters.Entry> letters = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (var r : chunk.recipients()) {
        if (!settled.contains(r.messageId())) {
          letters.add(new DeadLetters.Entry(r, "poison", why));
          ids.add(DeadLetters.clean(r.messageId()));
        }
      }
      Future<Void> stored = parts.deadLetters().write(chunk, chunk.attempt() + 1, letters).recover(err -> {
        if (LedgerWriter.isDataError(err)) {
          return Future.succeededFuture(); // the record on send.dlq keeps it all
        }
        return Future.failedFuture(err);
      });
      SendFacts facts = new SendFacts(ref.chunkKey(),
          chunk.attempt(), DeadLetters.clean(chunk.tenantId()), DeadLetters.clean(chunk.batchId()),
          DeadLetters.clean(chunk.campaignId()), chunk.channel(), Instant.now(), List.of(),
          List.of(), List.of(), SendFacts.Moved.NONE,
          new SendFacts.Moved(ids, why, null),
          SendFacts.Moved.NONE, List.of());
      return stored
          .compose(v -> parts.producer().send(SendRecords.facts(parts.topics().outcomes(), facts)))
          .compose(v -> {
            var rec = SendRecords.of(parts.topics().deadLetters(), chunk);
            rec.addHeader(SendRecords.HEADER_DLQ_REASON, why);
            return parts.producer().send(rec);
          })
          .mapEmpty();
    });
  }

  /** A record that is not a chunk: its bytes on {@code send.dlq}, with where it came from and why. */
  public Future<Void> unreadable(String topic, int partition, long offset, String key, Buffer value, String reason) {
    parts.metrics().poison();
    var rec = KafkaProducerRecord.create(parts.topics().deadLetters(), key,
        value == null ? Buffer.buffer() : value);
    rec.addHeader(SendRecords.HEADER_DLQ_REASON, "unreadable: " + reason);
    rec.addHeader(SendRecords.HEADER_DLQ_SOURCE, topic + "-" + partition + "@" + offset);
    return parts.producer().send(rec).mapEmpty();
  }

  /** A bad pin fails the chunk; otherwise the gates decide. */
  private Future<ChunkGate.Decision> decide(SendChunk chunk) {
    if (chunk.provider() != null) {
      ProviderName pin = ProviderName.fromWire(chunk.provider());
      if (pin == null || pin.channel() != chunk.channel()) {
        return Future.succeededFuture(ChunkGate.Decision.fail("provider '" + chunk.provider() + "' does not serve "
            + chunk.channel().wire()));
      }
    }
    return parts.gates().isEmpty() ? Future.succeededFuture(ChunkGate.Decision.proceed()) : parts.gates().check(chunk);
  }

  /** No new calls from now on; runs that would make one end with {@link Stopping}. */
  void stop() {
    stopping = true;
    parts.clients().values().forEach(ProviderClient::stopWaiting);
  }

  int running() {
    return running.size();
  }
}
