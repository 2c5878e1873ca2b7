package dev.esprouter.analytics.weights;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code provider_stats} for the weights, per recipient-domain group: the totals of the old
 * part of the window (a grouped sum, refreshed rarely) and the recent minute buckets (a few thousand
 * rows at most, refreshed often). Never reads events.
 */
final class StatsLoader {

  private static final String COUNTERS = "sent, delivered, opened, clicked, deferred, bounced, bounced_recipient, "
      + "complained, failed, failed_recipient";

  /** What the baseline remembers of a bucket: halved every $3 seconds of age at $2 (the bucket's middle). */
  private static final String DECAY = "power(0.5, extract(epoch from ($2 - bucket - interval '30 seconds')) / $3)";

  static final String OLDER_TOTALS = "select provider, domain_group, sum(sent), sum(delivered), sum(opened), sum(clicked), "
      + "sum(deferred), sum(bounced), sum(bounced_recipient), sum(complained), sum(failed), sum(failed_recipient), "
      + "sum(sent * " + DECAY + "), sum(delivered * " + DECAY + "), sum(opened * " + DECAY + "), "
      + "sum(deferred * " + DECAY + "), sum((bounced + failed) * " + DECAY + "), sum(complained * " + DECAY + ") "
      + "from provider_stats where bucket >= $1 and bucket < $2 group by provider, domain_group";

  static final String RECENT_BUCKETS = "select provider, domain_group, bucket, " + COUNTERS
      + " from provider_stats where bucket >= $1";

  private final Pool pool;

  StatsLoader(Pool pool) {
    this.pool = pool;
  }

  Future<List<GroupedStats.GroupOlder>> olderTotals(Instant from, Instant to, double slowHalfLifeSeconds) {
    return pool.preparedQuery(OLDER_TOTALS).execute(Tuple.of(utc(from), utc(to), slowHalfLifeSeconds)).map(rows -> {
      List<GroupedStats.GroupOlder> out = new ArrayList<>();
      for (Row r : rows) {
        ProviderName p = ProviderName.fromWire(r.getString(0));
        DomainGroup g = DomainGroup.fromWire(r.getString(1));
        if (p != null && g != null) {
          out.add(new GroupedStats.GroupOlder(p, g, counts(r, 2), new DecayedCounts(number(r, 12), number(r, 13),
              number(r, 14), number(r, 15), number(r, 16), number(r, 17))));
        }
      }
      return out;
    });
  }

  private static double number(Row r, int i) {
    Number n = (Number) r.getValue(i);
    return n == null ? 0 : n.doubleValue();
  }

  Future<List<GroupedStats.GroupBucket>> recentBuckets(Instant from) {
    return pool.preparedQuery(RECENT_BUCKETS).execute(Tuple.of(utc(from))).map(rows -> {
      List<GroupedStats.GroupBucket> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        ProviderName p = ProviderName.fromWire(r.getString(0));
        DomainGroup g = DomainGroup.fromWire(r.getString(1));
        if (p != null && g != null) {
          long minute = r.getOffsetDateTime(2).toEpochSecond() / 60;
          out.add(new GroupedStats.GroupBucket(g, new StatsSnapshot.Bucket(p, minute, counts(r, 3))));
        }
      }
      return out;
    });
  }

  private static StatCounts counts(Row r, int first) {
    long[] v = new long[10];
    for (int i = 0; i < 10; i++) {
      Number n = (Number) r.getValue(first + i);
      v[i] = n == null ? 0 : n.longValue();
    }
    return new StatCounts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
  }

  static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
