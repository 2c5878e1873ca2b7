package dev.esprouter.analytics.weights;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.routing.DomainGroup;
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
 * the older part of the window every {@code ESP_WEIGHTS_WINDOW_REFRESH_MS}) and has each channel's
 * {@link Learner} learn from it; a call only applies the current breaker states, capacities and
 * enabled flags to the learner's last allocation ({@link WeightCalculator}), so it costs microseconds
 * and never waits on the database (except the very first, until the first load). Every chunk —
 * first or later of a batch, single message — gets the same current split: the reactive memory
 * already holds the feedback that arrived up to one refresh ago. Thread-safe.
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
  private final Map<WeightHistory.Column, Integer> lastWeights = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<WeightHistory.Column, Gate.State> lastGates = new java.util.concurrent.ConcurrentHashMap<>();
  private final WeightHistory history;
  private final Map<Channel, Map<DomainGroup, Learner>> learners = new EnumMap<>(Channel.class);
  private volatile GroupedStats snapshot = GroupedStats.empty();
  private volatile java.util.List<GroupedStats.GroupOlder> older = java.util.List.of();
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
    this.history = history(config);
    for (Channel c : Channel.values()) {
      Map<DomainGroup, Learner> byGroup = new EnumMap<>(DomainGroup.class);
      for (DomainGroup g : groups(c)) {
        byGroup.put(g, new Learner(c, c == Channel.EMAIL ? c.wire() + "/" + g.wire() : c.wire(),
            (c.ordinal() + 1) * 16L + g.ordinal(), params));
      }
      learners.put(c, byGroup);
    }
  }

  /** The weight history's settings ({@code ESP_WEIGHTS_HISTORY_*}); too many samples is a start-up error. */
  static WeightHistory history(EspConfig config) {
    long sample = config.reader().longValue("ESP_WEIGHTS_HISTORY_SAMPLE_SECONDS", 10, 1, 3600);
    long hours = config.reader().longValue("ESP_WEIGHTS_HISTORY_HOURS", 24, 1, 24 * 7);
    int points = config.reader().integer("ESP_WEIGHTS_HISTORY_CHANGE_POINTS", 100, 1, 1000);
    if (hours * 3600 / sample > WeightHistory.MAX_SAMPLES) {
      throw new dev.esprouter.common.config.ConfigException("ESP_WEIGHTS_HISTORY_HOURS=" + hours
          + " sampled every ESP_WEIGHTS_HISTORY_SAMPLE_SECONDS=" + sample + " s is more than "
          + WeightHistory.MAX_SAMPLES + " samples: sample less often or keep less");
    }
    return new WeightHistory(sample, Duration.ofHours(hours), points);
  }

  /** Each provider's weight per channel and domain group over time, with the reason of every big change. */
  public WeightHistory history() {
    return history;
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

  /** Email is learned per recipient-domain group; WhatsApp and Telegram per channel ({@code other}). */
  static java.util.List<DomainGroup> groups(Channel c) {
    return c == Channel.EMAIL ? java.util.List.of(DomainGroup.values()) : java.util.List.of(DomainGroup.OTHER);
  }

  private static DomainGroup groupOf(Channel c, WeightQuery q) {
    return c == Channel.EMAIL && q.group() != null ? q.group() : DomainGroup.OTHER;
  }

  /** The weights the next chunk (of the query's domain group) would get, with every input (GET /v1/routing/explain). */
  public WeightExplanation explain(Channel channel, WeightQuery query) {
    DomainGroup g = groupOf(channel, query);
    Learner learner = learners.get(channel).get(g);
    Learner.Allocation a = learner.last();
    GroupedStats s = snapshot;
    if (a == null) {
      a = update(learner, channel, g, s, Instant.now());
    }
    return explain(calculator, a, s.group(g), channel, query, p -> config.provider(p).enabled(), health);
  }

  private static Learner.Allocation update(Learner learner, Channel c, DomainGroup g, GroupedStats s, Instant now) {
    // One group per channel (WhatsApp, Telegram): its data is all the data, no parent.
    return groups(c).size() == 1 ? learner.update(s.all(), now) : learner.update(s.group(g), s.all(), now);
  }

  /**
   * What one call costs: the router-side inputs of the channel's providers applied to the learner's
   * last allocation. O(providers), independent of the traffic behind the counters.
   */
  public static WeightExplanation explain(WeightCalculator calculator, Learner.Allocation learned, StatsSnapshot s,
                                          Channel channel, WeightQuery query, Predicate<ProviderName> enabled,
                                          ProviderHealth health) {
    Map<ProviderName, ProviderInput> inputs = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.of(channel)) {
      inputs.put(p, new ProviderInput(p, enabled.test(p), health.breaker(p), health.capacity(p), s.window(p)));
    }
    return calculator.compute(channel, groupOf(channel, query), learned, inputs);
  }

  /** The learner of a channel's domain group (tests drive it directly). */
  public Learner learner(Channel channel, DomainGroup group) {
    return learners.get(channel).get(group);
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
      olderStep = loader.olderTotals(from, to, calculator.parameters().slowHalfLifeMinutes() * 60).map(totals -> {
        older = totals;
        olderTo = to;
        olderLoadedAt = System.currentTimeMillis();
        return null;
      });
    }
    return olderStep
        .compose(v -> loader.recentBuckets(olderTo))
        .map(recent -> {
          snapshot = GroupedStats.of(older, olderTo, recent);
          learn(now);
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
          if (learners.get(Channel.EMAIL).get(DomainGroup.OTHER).last() == null) {
            learn(now);
          }
          refreshing.set(false);
          firstLoad.tryComplete();
          return Future.succeededFuture();
        });
  }

  /**
   * Each channel's (and email domain group's) learner learns from the current snapshot as of
   * {@code now}; the gauges and the weight history get the weights a fresh send of each group would get.
   */
  private void learn(Instant now) {
    GroupedStats s = snapshot;
    java.util.List<WeightExplanation> fresh = new java.util.ArrayList<>();
    for (Channel c : Channel.values()) {
      learners.get(c).forEach((g, learner) -> update(learner, c, g, s, now));
      for (DomainGroup g : groups(c)) {
        WeightExplanation e = explain(c, WeightQuery.FRESH.forGroup(g));
        fresh.add(e);
        for (ProviderScore score : e.providers()) {
          WeightHistory.Column col = new WeightHistory.Column(c, g, score.provider());
          lastWeights.put(col, score.weight());
          lastGates.put(col, score.learned().gate());
        }
      }
    }
    history.record(now, fresh);
  }

  /**
   * Per channel, domain group (email: five; WhatsApp and Telegram: {@code other}) and provider — 22
   * series — the weight ({@code esp_routing_weight_points}) and the gate
   * ({@code esp_routing_gate_state}: 0 open, 1 probing, 2 cut), from the last refresh.
   */
  public void registerMetrics(MeterRegistry registry) {
    for (WeightHistory.Column col : WeightHistory.COLUMNS) {
      Gauge.builder("esp_routing_weight_points", lastWeights, m -> m.getOrDefault(col, 0))
          .description("Points of 1000 the provider gets in its channel and recipient-domain group for a fresh send "
              + "(breaker and enabled applied)")
          .tag("channel", col.channel().wire())
          .tag("domain_group", col.group().wire())
          .tag("provider", col.provider().wire())
          .register(registry);
      Gauge.builder("esp_routing_gate_state", lastGates, m -> gateValue(m.get(col)))
          .description("The learner's hard-limit gate of the provider in its channel and recipient-domain group: "
              + "0 open, 1 probing, 2 cut (a rate over ESP_ROUTING_MAX_*_RATE)")
          .tag("channel", col.channel().wire())
          .tag("domain_group", col.group().wire())
          .tag("provider", col.provider().wire())
          .register(registry);
    }
  }

  private static double gateValue(Gate.State state) {
    if (state == null) {
      return 0;
    }
    return switch (state) {
      case OPEN -> 0;
      case PROBING -> 1;
      case CUT -> 2;
    };
  }
}
