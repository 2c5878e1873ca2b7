package dev.esprouter.analytics.weights;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.WeightQuery;
import dev.esprouter.common.routing.WeightSource;
import dev.esprouter.common.routing.Weights;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weights the router asks for once per chunk, learned from {@code provider_stats}. A timer keeps
 * a {@link StatsSnapshot} fresh (recent buckets every {@code ESP_WEIGHTS_REFRESH_MS}, the totals of
 * the older part of the window every {@code ESP_WEIGHTS_WINDOW_REFRESH_MS}); a call only runs the
 * {@link WeightCalculator} on that snapshot with the current breaker states and enabled flags, so it
 * costs microseconds and never waits on the database (except the very first, until the first load).
 * Thread-safe: the snapshot is swapped atomically.
 */
public final class LearnedWeightSource implements WeightSource {

  private static final Logger log = LoggerFactory.getLogger(LearnedWeightSource.class);

  private final Vertx vertx;
  private final EspConfig config;
  private final ProviderHealth health;
  private final WeightCalculator calculator;
  private final StatsLoader loader;
  private final long refreshMs;
  private final long windowRefreshMs;
  private final Duration horizon;
  private final Promise<Void> firstLoad = Promise.promise();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final Map<ProviderName, Integer> lastWeights = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile StatsSnapshot snapshot = StatsSnapshot.empty();
  private volatile Map<ProviderName, StatCounts> older = Map.of();
  private volatile Instant olderTo = Instant.EPOCH;
  private volatile long olderLoadedAt;
  private long timerId = -1;
  private volatile boolean failing;

  public LearnedWeightSource(Vertx vertx, Pool pool, EspConfig config, ProviderHealth health,
                             WeightParameters params) {
    this.vertx = vertx;
    this.config = config;
    this.health = health;
    this.calculator = new WeightCalculator(params);
    this.loader = new StatsLoader(pool);
    this.refreshMs = config.reader().longValue("ESP_WEIGHTS_REFRESH_MS", 2000, 20, 600_000);
    this.windowRefreshMs = config.reader().longValue("ESP_WEIGHTS_WINDOW_REFRESH_MS", 60_000, 20, 3_600_000);
    this.horizon = Duration.ofMinutes(config.reader().longValue("ESP_WEIGHTS_FRESH_HORIZON_MINUTES", 360, 5,
        7 * 24 * 60));
  }

  /** Loads once and then keeps refreshing on a timer until {@link #close()}. */
  public LearnedWeightSource start() {
    refresh();
    timerId = vertx.setPeriodic(refreshMs, id -> refresh());
    return this;
  }

  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  @Override
  public Future<Weights> weights(Channel channel, WeightQuery query) {
    if (!firstLoad.future().isComplete()) {
      return firstLoad.future().map(v -> explain(channel, query).weights());
    }
    return Future.succeededFuture(explain(channel, query).weights());
  }

  /** The weights the next chunk would get, with every input (GET /v1/routing/explain). */
  public WeightExplanation explain(Channel channel, WeightQuery query) {
    return explain(calculator, snapshot, channel, query, p -> config.provider(p).enabled(), health);
  }

  /**
   * What one call costs: the inputs of the channel's providers from a snapshot (window totals, and
   * for a later chunk a sum over the recent minute buckets) and the calculation. O(providers ×
   * recent buckets), independent of how many events are behind the counters.
   */
  public static WeightExplanation explain(WeightCalculator calculator, StatsSnapshot s, Channel channel,
                                          WeightQuery query, Predicate<ProviderName> enabled, ProviderHealth health) {
    Map<ProviderName, ProviderInput> inputs = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.of(channel)) {
      StatCounts fresh = query.previousChunkSentAt().map(t -> s.since(p, t)).orElse(null);
      inputs.put(p, new ProviderInput(p, enabled.test(p), health.breaker(p), s.window(p), fresh));
    }
    return calculator.compute(channel, inputs);
  }

  public WeightParameters parameters() {
    return calculator.parameters();
  }

  /** Completes once the first snapshot is loaded (or failed to load: the priors are used then). */
  public Future<Void> ready() {
    return firstLoad.future();
  }

  /** Reloads now; the returned future completes when the new snapshot is in place. */
  public Future<Void> refresh() {
    if (!refreshing.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    Instant now = Instant.now();
    Future<Void> olderStep = Future.succeededFuture();
    if (System.currentTimeMillis() - olderLoadedAt >= windowRefreshMs) {
      Instant to = now.minus(horizon);
      Instant from = now.minus(Duration.ofDays(calculator.parameters().windowDays()));
      olderStep = loader.olderTotals(from, to).map(totals -> {
        older = totals;
        olderTo = to;
        olderLoadedAt = System.currentTimeMillis();
        return null;
      });
    }
    return olderStep
        .compose(v -> loader.recentBuckets(olderTo))
        .map(recent -> {
          snapshot = new StatsSnapshot(older, olderTo, recent);
          for (Channel c : Channel.values()) {
            explain(c, WeightQuery.FRESH).weights().points().forEach(lastWeights::put);
          }
          if (failing) {
            log.info("weights: provider_stats readable again");
            failing = false;
          }
          return (Void) null;
        })
        .onFailure(err -> {
          if (!failing) {
            log.warn("weights: cannot read provider_stats, keeping the last snapshot: {}", err.toString());
            failing = true;
          }
        })
        .eventually(() -> {
          refreshing.set(false);
          firstLoad.tryComplete();
          return Future.succeededFuture();
        });
  }

  /** The weight of every provider as a gauge ({@code esp_routing_weight_points}), from the last refresh. */
  public void registerMetrics(MeterRegistry registry) {
    for (ProviderName p : ProviderName.values()) {
      Gauge.builder("esp_routing_weight_points", lastWeights, m -> m.getOrDefault(p, 0))
          .description("Points of 1000 the provider gets in its channel for a fresh send (breaker and enabled applied)")
          .tag("channel", p.channel().wire())
          .tag("provider", p.wire())
          .register(registry);
    }
  }
}
