package dev.esprouter.router;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.runtime.Services;
import dev.esprouter.providers.send.SendDialects;
import dev.esprouter.router.consumer.ChunkConsumerVerticle;
import dev.esprouter.router.consumer.Pending;
import dev.esprouter.router.provider.ProviderBreaker;
import dev.esprouter.router.provider.ProviderClient;
import dev.esprouter.router.provider.ProviderRateLimiter;
import dev.esprouter.router.routing.ChannelWeights;
import dev.esprouter.router.routing.ChunkRouter;
import dev.esprouter.router.store.ChunkStore;
import dev.esprouter.router.store.ParkedChunks;
import dev.esprouter.router.store.SentStats;
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
 * (limiter, breaker, WebClient) per enabled provider, the weights, the router and the processor.
 * Once a second the limiters climb back (AIMD) and report their rate to {@link ProviderHealth}.
 */
public final class RouterEngine implements ChunkConsumerVerticle.ChunkHandler {

  /** A chunk due within this long holds its partition; a later {@code send_at} is parked in PostgreSQL. */
  static final long HOLD_MS = 5_000;

  private final Vertx vertx;
  private final Map<ProviderName, ProviderClient> clients = new EnumMap<>(ProviderName.class);
  private final ChunkProcessor processor;
  private final ParkedChunks parked;
  private final ProviderHealth health;
  private final long recoverTimer;
  private final long lagTimer;
  private static final long LAG_PROBE_MS = 50;
  private final Pool highPool;
  private final RouterMetrics metrics;
  private final SentStats sentStats;

  public RouterEngine(Vertx vertx, EspConfig config, RouterSettings settings, Services services, ProviderHealth health,
                      RouterMetrics metrics, Pool pool, KafkaProducer<String, Buffer> producer, Topics topics) {
    this.vertx = vertx;
    this.health = health;
    this.metrics = metrics;
    for (ProviderName p : ProviderName.values()) {
      ProviderSettings ps = config.provider(p);
      if (!ps.enabled()) {
        continue;
      }
      ProviderRateLimiter limiter = new ProviderRateLimiter(vertx, ps.ratePerSec(), ps.burst(), System::nanoTime);
      ProviderBreaker breaker = new ProviderBreaker(vertx, p, settings, health, System::nanoTime);
      clients.put(p, new ProviderClient(vertx, ps, SendDialects.create(ps, config.reader(), Clock.systemUTC()), settings,
          limiter, breaker, metrics));
      metrics.providerGauges(p, health, limiter);
      health.currentRate(p, limiter.currentRate());
    }
    this.highPool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(settings.highPoolSize()).setName("esp-router-high-priority"))
        // Named so pg_stat_activity tells the high lane's connections from the shared pool's.
        .connectingTo(Db.connectOptions(config.database()).addProperty("application_name", "esp-router-high"))
        .using(vertx)
        .build();
    this.sentStats = new SentStats(vertx, pool);
    sentStats.start();
    ChunkStore store = new ChunkStore(pool, highPool, settings.sendLeaseMs(), metrics, sentStats);
    this.processor = new ChunkProcessor(store, new ChunkRouter(clients, health),
        new ChannelWeights(services, settings.priors()), settings, producer, topics, metrics, health);
    this.parked = new ParkedChunks(vertx, pool, producer);
    parked.start();
    this.lagTimer = scheduleLagProbe(vertx, metrics);
    this.recoverTimer = vertx.setPeriodic(1000, id -> clients.forEach((p, c) -> {
      c.limiter().recover();
      health.currentRate(p, c.limiter().currentRate());
    }));
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
    return processor.process(chunk).onSuccess(v -> metrics.chunk(chunk.priority(), System.nanoTime() - start));
  }

  @Override
  public boolean parks(SendChunk chunk, Instant now) {
    return chunk.sendAt() != null && chunk.sendAt().isAfter(now.plusMillis(HOLD_MS));
  }

  @Override
  public void share(double share) {
    clients.values().forEach(c -> c.limiter().share(share));
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(recoverTimer);
    vertx.cancelTimer(lagTimer);
    parked.close();
    clients.values().forEach(ProviderClient::close);
    return sentStats.close().eventually(highPool::close);
  }

}
