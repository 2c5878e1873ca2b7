package dev.esprouter.analytics.weights;

import dev.esprouter.common.ProviderName;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code provider_stats} for the weights: the totals of the old part of the window (a
 * grouped sum, refreshed rarely) and the recent minute buckets (a few thousand rows at most,
 * refreshed often). Never reads events.
 */
final class StatsLoader {

  private static final String COUNTERS = "sent, delivered, opened, clicked, deferred, bounced, bounced_recipient, "
      + "complained, failed, failed_recipient";

  /** What the baseline remembers of a bucket: halved every $3 seconds of age at $2 (the bucket's middle). */
  private static final String DECAY = "power(0.5, extract(epoch from ($2 - bucket - interval '30 seconds')) / $3)";

  static final String OLDER_TOTALS = "select provider, sum(sent), sum(delivered), sum(opened), sum(clicked), "
      + "sum(deferred), sum(bounced), sum(bounced_recipient), sum(complained), sum(failed), sum(failed_recipient), "
      + "sum(sent * " + DECAY + "), sum(delivered * " + DECAY + "), sum(opened * " + DECAY + "), "
      + "sum(deferred * " + DECAY + "), sum((bounced + failed) * " + DECAY + "), sum(complained * " + DECAY + ") "
      + "from provider_stats where bucket >= $1 and bucket < $2 group by provider";

  /** The older part of the window: plain totals (shown) and totals decayed with the slow half-life as of its end. */
  record Older(Map<ProviderName, StatCounts> totals, Map<ProviderName, DecayedCounts> decayed) {
  }

  static final String RECENT_BUCKETS = "select provider, bucket, " + COUNTERS
      + " from provider_stats where bucket >= $1";

  private final Pool pool;

  StatsLoader(Pool pool) {
    this.pool = pool;
  }

  Future<Older> olderTotals(Instant from, Instant to, double slowHalfLifeSeconds) {
    return pool.preparedQuery(OLDER_TOTALS).execute(Tuple.of(utc(from), utc(to), slowHalfLifeSeconds)).map(rows -> {
      Map<ProviderName, StatCounts> out = new EnumMap<>(ProviderName.class);
      Map<ProviderName, DecayedCounts> decayed = new EnumMap<>(ProviderName.class);
      for (Row r : rows) {
        ProviderName p = ProviderName.fromWire(r.getString(0));
        if (p != null) {
          out.put(p, counts(r, 1));
          decayed.put(p, new DecayedCounts(number(r, 11), number(r, 12), number(r, 13), number(r, 14), number(r, 15),
              number(r, 16)));
        }
      }
      return new Older(out, decayed);
    });
  }

  private static double number(Row r, int i) {
    Number n = (Number) r.getValue(i);
    return n == null ? 0 : n.doubleValue();
  }

  Future<List<StatsSnapshot.Bucket>> recentBuckets(Instant from) {
    return pool.preparedQuery(RECENT_BUCKETS).execute(Tuple.of(utc(from))).map(rows -> {
      List<StatsSnapshot.Bucket> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        ProviderName p = ProviderName.fromWire(r.getString(0));
        if (p != null) {
          long minute = r.getOffsetDateTime(1).toEpochSecond() / 60;
          out.add(new StatsSnapshot.Bucket(p, minute, counts(r, 2)));
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
