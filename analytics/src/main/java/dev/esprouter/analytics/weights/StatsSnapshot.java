package dev.esprouter.analytics.weights;

import dev.esprouter.common.ProviderName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable copy of {@code provider_stats}: the window totals per provider, and the recent minute
 * buckets themselves (since {@link #recentFrom()}) so the counters since any recent instant are a
 * sum over at most providers × recent minutes, computed in memory without touching the database.
 */
public final class StatsSnapshot {

  /** One minute bucket of one provider. */
  public record Bucket(ProviderName provider, long epochMinute, StatCounts counts) {
  }

  private final Instant recentFrom;
  private final Map<ProviderName, StatCounts> window;
  private final Map<ProviderName, DecayedCounts> olderSlow;
  private final Map<ProviderName, long[]> minutes = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, StatCounts[]> counts = new EnumMap<>(ProviderName.class);

  /**
   * @param older  totals of the window's buckets before {@code recentFrom}
   * @param recent the buckets from {@code recentFrom} on, in any order
   */
  public StatsSnapshot(Map<ProviderName, StatCounts> older, Instant recentFrom, List<Bucket> recent) {
    this(older, Map.of(), recentFrom, recent);
  }

  /**
   * @param olderSlow the older buckets decayed with the slow half-life as of {@code recentFrom}
   *                  ({@link StatsLoader#olderTotals}), what the baseline remembers of them
   */
  public StatsSnapshot(Map<ProviderName, StatCounts> older, Map<ProviderName, DecayedCounts> olderSlow,
                       Instant recentFrom, List<Bucket> recent) {
    this.recentFrom = recentFrom;
    this.olderSlow = Map.copyOf(olderSlow);
    Map<ProviderName, List<Bucket>> byProvider = new EnumMap<>(ProviderName.class);
    for (Bucket b : recent) {
      byProvider.computeIfAbsent(b.provider(), p -> new ArrayList<>()).add(b);
    }
    Map<ProviderName, StatCounts> totals = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.values()) {
      List<Bucket> list = byProvider.getOrDefault(p, new ArrayList<>());
      list.sort((a, b) -> Long.compare(a.epochMinute(), b.epochMinute()));
      long[] m = new long[list.size()];
      StatCounts[] c = new StatCounts[list.size()];
      StatCounts total = older.getOrDefault(p, StatCounts.ZERO);
      for (int i = 0; i < m.length; i++) {
        m[i] = list.get(i).epochMinute();
        c[i] = list.get(i).counts();
        total = total.plus(c[i]);
      }
      minutes.put(p, m);
      counts.put(p, c);
      totals.put(p, total);
    }
    this.window = totals;
  }

  public static StatsSnapshot empty() {
    return new StatsSnapshot(Map.of(), Instant.EPOCH, List.of());
  }

  /** Where the in-memory buckets start; older data is only in the window totals. */
  public Instant recentFrom() {
    return recentFrom;
  }

  /** The older part of the window decayed with the slow half-life as of {@link #recentFrom()}. */
  public DecayedCounts olderSlow(ProviderName p) {
    return olderSlow.getOrDefault(p, DecayedCounts.ZERO);
  }

  /** The epoch minutes of the provider's recent buckets, ascending (do not modify). */
  long[] minutes(ProviderName p) {
    return minutes.get(p);
  }

  /** The counters of the provider's recent buckets, in {@link #minutes} order (do not modify). */
  StatCounts[] counts(ProviderName p) {
    return counts.get(p);
  }

  public StatCounts window(ProviderName p) {
    return window.getOrDefault(p, StatCounts.ZERO);
  }

  /**
   * The counters of the minute containing {@code since} and every later one, or null when
   * {@code since} is before the recent buckets (the caller then has only the window totals).
   */
  public StatCounts since(ProviderName p, Instant since) {
    if (since.isBefore(recentFrom)) {
      return null;
    }
    long from = since.getEpochSecond() / 60;
    long[] m = minutes.get(p);
    StatCounts[] c = counts.get(p);
    StatCounts sum = StatCounts.ZERO;
    for (int i = m.length - 1; i >= 0 && m[i] >= from; i--) {
      sum = sum.plus(c[i]);
    }
    return sum;
  }
}
