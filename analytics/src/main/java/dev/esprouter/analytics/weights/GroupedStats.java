package dev.esprouter.analytics.weights;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code provider_stats} per recipient-domain group: one {@link StatsSnapshot} for each group and
 * one for all groups together (each provider's buckets of the same minute summed), which the
 * learner of a group reads as the prior of that group's own data. Immutable.
 */
public final class GroupedStats {

  /** One minute bucket of one provider in one group. */
  public record GroupBucket(DomainGroup group, StatsSnapshot.Bucket bucket) {
  }

  /** Older totals of one provider in one group (plain and slow-decayed). */
  public record GroupOlder(ProviderName provider, DomainGroup group, StatCounts totals, DecayedCounts decayed) {
  }

  private final StatsSnapshot all;
  private final Map<DomainGroup, StatsSnapshot> groups;

  private GroupedStats(StatsSnapshot all, Map<DomainGroup, StatsSnapshot> groups) {
    this.all = all;
    this.groups = groups;
  }

  public static GroupedStats empty() {
    StatsSnapshot e = StatsSnapshot.empty();
    Map<DomainGroup, StatsSnapshot> m = new EnumMap<>(DomainGroup.class);
    for (DomainGroup g : DomainGroup.values()) {
      m.put(g, e);
    }
    return new GroupedStats(e, m);
  }

  public static GroupedStats of(List<GroupOlder> older, Instant recentFrom, List<GroupBucket> recent) {
    Map<DomainGroup, Map<ProviderName, StatCounts>> olderTotals = new EnumMap<>(DomainGroup.class);
    Map<DomainGroup, Map<ProviderName, DecayedCounts>> olderDecayed = new EnumMap<>(DomainGroup.class);
    Map<ProviderName, StatCounts> allTotals = new EnumMap<>(ProviderName.class);
    Map<ProviderName, DecayedCounts> allDecayed = new EnumMap<>(ProviderName.class);
    for (GroupOlder o : older) {
      olderTotals.computeIfAbsent(o.group(), g -> new EnumMap<>(ProviderName.class)).put(o.provider(), o.totals());
      olderDecayed.computeIfAbsent(o.group(), g -> new EnumMap<>(ProviderName.class)).put(o.provider(), o.decayed());
      allTotals.merge(o.provider(), o.totals(), StatCounts::plus);
      allDecayed.merge(o.provider(), o.decayed(), DecayedCounts::plus);
    }
    Map<DomainGroup, List<StatsSnapshot.Bucket>> byGroup = new EnumMap<>(DomainGroup.class);
    Map<ProviderName, Map<Long, StatCounts>> merged = new EnumMap<>(ProviderName.class);
    for (GroupBucket b : recent) {
      byGroup.computeIfAbsent(b.group(), g -> new ArrayList<>()).add(b.bucket());
      merged.computeIfAbsent(b.bucket().provider(), p -> new HashMap<>())
          .merge(b.bucket().epochMinute(), b.bucket().counts(), StatCounts::plus);
    }
    List<StatsSnapshot.Bucket> allBuckets = new ArrayList<>();
    merged.forEach((p, byMinute) -> byMinute.forEach((m, c) -> allBuckets.add(new StatsSnapshot.Bucket(p, m, c))));
    Map<DomainGroup, StatsSnapshot> groups = new EnumMap<>(DomainGroup.class);
    for (DomainGroup g : DomainGroup.values()) {
      groups.put(g, new StatsSnapshot(olderTotals.getOrDefault(g, Map.of()), olderDecayed.getOrDefault(g, Map.of()),
          recentFrom, byGroup.getOrDefault(g, List.of())));
    }
    return new GroupedStats(new StatsSnapshot(allTotals, allDecayed, recentFrom, allBuckets), groups);
  }

  /** Every group together. */
  public StatsSnapshot all() {
    return all;
  }

  public StatsSnapshot group(DomainGroup g) {
    return groups.get(g);
  }
}
