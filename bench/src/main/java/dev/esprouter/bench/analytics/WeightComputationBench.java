package dev.esprouter.bench.analytics;

import dev.esprouter.analytics.weights.LearnedWeightSource;
import dev.esprouter.analytics.weights.Learner;
import dev.esprouter.analytics.weights.StatCounts;
import dev.esprouter.analytics.weights.StatsSnapshot;
import dev.esprouter.analytics.weights.WeightCalculator;
import dev.esprouter.analytics.weights.WeightExplanation;
import dev.esprouter.analytics.weights.WeightParameters;
import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.WeightQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The cost of the weights the router asks for once per chunk, with 1k and with 10M provider events
 * behind the 30-day window. The events are aggregated exactly as the consumer does (per provider
 * per minute of receipt) and split as {@link LearnedWeightSource} holds them: the totals of the
 * older part and the minute buckets of the last 6 hours. Goal: ≤ 1 ms per call and the same for
 * both sizes (it reads buckets, never events).
 *
 * <p>{@code bench/run dev.esprouter.bench.analytics.WeightComputationBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class WeightComputationBench {

  @Param({"1000", "10000000"})
  public long events;

  private final WeightCalculator calculator = new WeightCalculator(WeightParameters.DEFAULT);
  private final ProviderHealth health = new ProviderHealth();
  private StatsSnapshot snapshot;
  private final Learner learner = new Learner(Channel.EMAIL, "email", 1, WeightParameters.DEFAULT);
  private Learner.Allocation allocation;
  private Instant now;
  private WeightQuery microsoft;
  private List<StatsSnapshot.Bucket> recent;
  private Map<ProviderName, StatCounts> older;
  private Instant recentFrom;

  @Setup
  public void setUp() {
    Instant now = Instant.now();
    long nowMinute = now.getEpochSecond() / 60;
    long windowMinutes = Duration.ofDays(30).toMinutes();
    recentFrom = now.minus(Duration.ofHours(6));
    long recentFromMinute = recentFrom.getEpochSecond() / 60;
    // Aggregate the events per (provider, minute) as the consumer's upserts leave them.
    Map<ProviderName, Map<Long, long[]>> buckets = new EnumMap<>(ProviderName.class);
    SplittableRandom random = new SplittableRandom(42);
    ProviderName[] email = ProviderName.of(Channel.EMAIL).toArray(new ProviderName[0]);
    for (long i = 0; i < events; i++) {
      ProviderName p = email[(int) (i % email.length)];
      long minute = nowMinute - random.nextLong(windowMinutes);
      long[] c = buckets.computeIfAbsent(p, k -> new HashMap<>()).computeIfAbsent(minute, k -> new long[3]);
      double draw = random.nextDouble();
      c[draw < 0.97 ? 0 : draw < 0.99 ? 1 : 2]++;
    }
    older = new EnumMap<>(ProviderName.class);
    recent = new ArrayList<>();
    buckets.forEach((p, byMinute) -> byMinute.forEach((minute, c) -> {
      StatCounts counts = new StatCounts(0, c[0], c[0] / 5, 0, 0, c[1], c[2], 0, 0, 0);
      if (minute >= recentFromMinute) {
        recent.add(new StatsSnapshot.Bucket(p, minute, counts));
      } else {
        older.merge(p, counts, StatCounts::plus);
      }
    }));
    snapshot = new StatsSnapshot(older, recentFrom, recent);
    this.now = now;
    allocation = learner.update(snapshot, now);
    microsoft = WeightQuery.of("bat_bench", 3, DomainGroup.MICROSOFT);
  }

  /** What a call costs (every chunk, per domain group): the learner's last split with breakers and flags applied. */
  @Benchmark
  public WeightExplanation perChunk() {
    return LearnedWeightSource.explain(calculator, allocation, snapshot, Channel.EMAIL, microsoft, p -> true, health);
  }

  /**
   * What each refresh costs per channel and domain group (every 2 s, not per call): memories over 6 hours of
   * minute buckets, change scan, gates and the posterior draws.
   */
  @Benchmark
  public Learner.Allocation learnerUpdate() {
    now = now.plusSeconds(2);
    return learner.update(snapshot, now);
  }

  /** What each refresh does in memory after its two queries (every 2 s, not per call). */
  @Benchmark
  public StatsSnapshot refreshSnapshot() {
    return new StatsSnapshot(older, recentFrom, new ArrayList<>(recent));
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(WeightComputationBench.class.getSimpleName()).build()).run();
  }
}
