package dev.esprouter.bench.routing;

import dev.esprouter.analytics.weights.DecayedCounts;
import dev.esprouter.analytics.weights.StatCounts;
import dev.esprouter.analytics.weights.StatsSnapshot;
import dev.esprouter.common.ProviderName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the status writer would have put in {@code provider_stats} by a simulated instant: events
 * wait until their arrival second, then count in the minute they arrived in (as the real buckets
 * do); minute buckets older than the horizon fold into the older totals, plain and slow-decayed, as
 * {@code StatsLoader} reads them. The snapshot it builds is the one {@code LearnedWeightSource} would hold.
 */
final class SimulatedFeedback {

  static final int SENT = 0;
  static final int DELIVERED = 1;
  static final int OPENED = 2;
  static final int BOUNCED = 5;
  static final int COMPLAINED = 7;

  private final long horizonMinutes;
  private final double slowHalfLifeSeconds;
  private final Map<ProviderName, TreeMap<Long, long[]>> pending = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, TreeMap<Long, long[]>> minutes = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, StatCounts> older = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, DecayedCounts> olderSlow = new EnumMap<>(ProviderName.class);
  private long olderTo = Long.MIN_VALUE;

  SimulatedFeedback(long horizonMinutes, double slowHalfLifeSeconds) {
    this.horizonMinutes = horizonMinutes;
    this.slowHalfLifeSeconds = slowHalfLifeSeconds;
  }

  /** One event of {@code column} for {@code p} arriving at {@code second}. */
  void arrive(ProviderName p, long second, int column, long n) {
    if (n > 0) {
      pending.computeIfAbsent(p, k -> new TreeMap<>()).computeIfAbsent(second, k -> new long[10])[column] += n;
    }
  }

  /** Moves what arrived by {@code nowSecond} into its minute buckets and folds old minutes; the snapshot then. */
  StatsSnapshot snapshot(long nowSecond) {
    pending.forEach((p, byArrival) -> {
      while (!byArrival.isEmpty() && byArrival.firstKey() <= nowSecond) {
        Map.Entry<Long, long[]> e = byArrival.pollFirstEntry();
        long[] bucket = minutes.computeIfAbsent(p, k -> new TreeMap<>())
            .computeIfAbsent(Math.floorDiv(e.getKey(), 60), k -> new long[10]);
        for (int i = 0; i < 10; i++) {
          bucket[i] += e.getValue()[i];
        }
      }
    });
    long from = Math.floorDiv(nowSecond, 60) - horizonMinutes;
    long fromSecond = from * 60;
    if (olderTo != Long.MIN_VALUE && fromSecond > olderTo) {
      // Re-reference the older decayed totals to the new boundary, as a reload would compute them.
      double shift = Math.pow(0.5, (fromSecond - olderTo) / slowHalfLifeSeconds);
      olderSlow.replaceAll((p, c) -> c.times(shift));
    }
    olderTo = fromSecond;
    List<StatsSnapshot.Bucket> recent = new ArrayList<>();
    minutes.forEach((p, byMinute) -> {
      while (!byMinute.isEmpty() && byMinute.firstKey() < from) {
        Map.Entry<Long, long[]> e = byMinute.pollFirstEntry();
        StatCounts c = counts(e.getValue());
        older.merge(p, c, StatCounts::plus);
        double age = Math.max(0, fromSecond - (e.getKey() * 60 + 30));
        olderSlow.merge(p, DecayedCounts.of(c, Math.pow(0.5, age / slowHalfLifeSeconds)), DecayedCounts::plus);
      }
      byMinute.forEach((m, v) -> recent.add(new StatsSnapshot.Bucket(p, m, counts(v))));
    });
    return new StatsSnapshot(older, olderSlow, Instant.ofEpochSecond(fromSecond), recent);
  }

  private static StatCounts counts(long[] v) {
    return new StatCounts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
  }
}
