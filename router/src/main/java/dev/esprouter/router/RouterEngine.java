package dev.esprouter.router;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.routing.ChunkGates;
import dev.esprouter.common.routing.DomainGroups;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.runtime.Services;
import dev.esprouter.providers.send.SendDialects;
import dev.esprouter.router.consumer.ChunkConsumerVerticle;
import dev.esprouter.router.consumer.Pending;
import dev.esprouter.router.ledger.Incarnation;
import dev.esprouter.router.ledger.LedgerPruner;
import dev.esprouter.router.ledger.LedgerReader;
import dev.esprouter.router.ledger.LedgerWriter;
import dev.esprouter.router.provider.ProviderBreaker;
import dev.esprouter.router.provider.ProviderClient;
import dev.esprouter.router.provider.ProviderRateLimiter;
import dev.esprouter.router.routing.ChannelWeights;
import dev.esprouter.router.routing.SharePlanner;
import dev.esprouter.router.store.DeadLetters;
import dev.esprouter.router.store.ParkedChunks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import dev.esprouter.common.db.Db;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything that routes chunks, built on the consumer's event loop: one {@link ProviderClient}
 * (limiter, breaker, WebClient) per enabled provider, the weights, the ledger and the processor.
 * Once a second the limiters climb back (AIMD) and report their rate to {@link ProviderHealth}, which
 * the weights read (a provider whose rate fell gets a share its rate can carry).
 */
public final class RouterEngine implements ChunkConsumerVerticle.ChunkHandler {

  /** A chunk due within this long holds its partition; a later {@code send_at} is parked in PostgreSQL. */
  static final long HOLD_MS = 5_000;
  private static final long LAG_PROBE_MS = 50;

  private final Vertx vertx;
  private final Map<ProviderName, ProviderClient> clients = new EnumMap<>(ProviderName.class);
  private final RouterSettings settings;
  private final ChunkProcessor processor;
  private final ParkedChunks parked;
  private final ProviderHealth health;
  private final Incarnation incarnation;
  private final LedgerWriter writer;
  private final LedgerPruner pruner;
  private final RouterMetrics metrics;
  private final Pool ledgerPool;
  private long recoverTimer = -1;
  private long lagTimer = -1;

  public RouterEngine(Vertx vertx, EspConfig config, RouterSettings settings, Services services, ProviderHealth health,
                      RouterMetrics metrics, Pool pool, KafkaProducer<String, Buffer> producer, Topics topics) {
    this.vertx = vertx;
    this.health = health;
    this.metrics = metrics;
    this.settings = settings;
    for (ProviderName p : ProviderName.values()) {
      ProviderSettings ps = config.provider(p);
      if (!ps.enabled()) {
        continue;
      }
      ProviderRateLimiter limiter = new ProviderRateLimiter(vertx, ps.ratePerSec(), ps.burst(),
          settings.limiterMaxWaiters(), System::nanoTime);
      ProviderBreaker breaker = new ProviderBreaker(vertx, p, settings, health, System::nanoTime);
      // A throttle is reported at once: the weights give a provider whose rate fell only what it can carry.
      limiter.onThrottle(() -> health.currentRate(p, limiter.currentRate()));
      clients.put(p, new ProviderClient(vertx, ps, SendDialects.create(ps, config.reader(), Clock.systemUTC()), settings,
          limiter, breaker, metrics));
      metrics.providerGauges(p, health, limiter);
    }
    reportRates();
    this.incarnation = new Incarnation(vertx, pool, settings.instanceId());
    // The ledger's group commits have connections of their own: they never queue behind reads or another
    // role's statements, and pg_stat_activity shows them as esp-router-ledger.
    this.ledgerPool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(LedgerWriter.MAX_FLUSHES).setName("esp-router-ledger"))
        .connectingTo(Db.connectOptions(config.database()).addProperty("application_name", "esp-router-ledger"))
        .using(vertx)
        .build();
    this.writer = new LedgerWriter(vertx, ledgerPool, incarnation.id(), metrics);
    this.pruner = new LedgerPruner(vertx, pool, settings.ledgerRetentionHours());
    this.parked = new ParkedChunks(vertx, pool, producer);
    ChunkGates gates = services.find(ChunkGates.class).orElseGet(ChunkGates::new);
    SharePlanner planner = new SharePlanner(new ChannelWeights(services, settings.priors(), health), DomainGroups.standard());
    this.processor = new ChunkProcessor(new ChunkProcessor.Parts(vertx, writer, new LedgerReader(pool), planner,
        clients, gates, new DeadLetters(pool), parked, producer, topics, settings, metrics, incarnation.id()));
  }

  @Override
  public Future<Void> start() {
    return incarnation.register(settings.heartbeatMs()).onSuccess(v -> {
      parked.start();
      pruner.start();
      lagTimer = scheduleLagProbe(vertx, metrics);
      recoverTimer = vertx.setPeriodic(1000, id -> {
        clients.values().forEach(c -> c.limiter().recover());
        reportRates();
      });
    });
  }

  private void reportRates() {
    clients.forEach((p, c) -> {
      health.configuredRate(p, c.limiter().configuredRate());
      health.currentRate(p, c.limiter().currentRate());
    });
  }

  /**
   * How late a 50 ms timer fires on the router's event loop: every chunk's statements and provider
   * calls complete on this loop, so this is the wait each of their callbacks adds (a high-priority
   * message has several).
   */
  private static long scheduleLagProbe(Vertx vertx, RouterMetrics metrics) {
    long[] last = {System.nanoTime()};
    return vertx.setPeriodic(LAG_PROBE_MS, id -> {
      long now = System.nanoTime();
      metrics.eventLoopLag(Math.max(0, now - last[0] - LAG_PROBE_MS * 1_000_000));
      last[0] = now;
    });
  }

  @Override
  public Future<Void> route(Pending pending) {
    SendChunk chunk = pending.chunk();
    if (parks(chunk, Instant.now())) {
      return parked.park(pending.tp().getTopic(), chunk);
    }
    long start = System.nanoTime();
    return processor.process(chunk, pending.tp().getTopic())
        .onSuccess(v -> metrics.chunk(chunk.priority(), System.nanoTime() - start));
  }

  @Override
  public Future<Void> poison(Pending pending, String reason) {
    return processor.poison(pending.chunk(), reason);
  }

  @Override
  public Future<Void> unreadable(String topic, int partition, long offset, String key, Buffer value, String reason) {
    return processor.unreadable(topic, partition, offset, key, value, reason);
  }

  @Override
  public boolean parks(SendChunk chunk, Instant now) {
    return chunk.sendAt() != null && chunk.sendAt().isAfter(now.plusMillis(HOLD_MS));
  }

  @Override
  public void share(double share) {
    clients.values().forEach(c -> c.limiter().share(share));
    reportRates();
  }

  @Override
  public void stopTakingWork() {
    processor.stop();
  }

  @Override
  public int ledgerBacklog() {
    return writer.backlog();
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(recoverTimer);
    vertx.cancelTimer(lagTimer);
    parked.close();
    pruner.close();
    clients.values().forEach(ProviderClient::close);
    return incarnation.stop().otherwiseEmpty().eventually(ledgerPool::close);
  }
}
