package dev.esprouter.analytics.weights;

import dev.esprouter.common.ProviderName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Minute buckets built by hand for the learner's tests: exact counts, no randomness. */
final class Feed {

  static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

  private final List<StatsSnapshot.Bucket> buckets = new ArrayList<>();

  /** One minute (from START) of {@code n} resolved sends by {@code p} with the given rates. */
  Feed minute(ProviderName p, int minute, long n, double failure, double open, double complaint) {
    long failures = Math.round(n * failure);
    long delivered = n - failures;
    buckets.add(new StatsSnapshot.Bucket(p, START.getEpochSecond() / 60 + minute, new StatCounts(n, delivered,
        Math.round(delivered * open), 0, 0, failures, 0, Math.round(delivered * complaint), 0, 0)));
    return this;
  }

  /** Minutes {@code from..to-1} alike. */
  Feed minutes(ProviderName p, int from, int to, long n, double failure, double open, double complaint) {
    for (int m = from; m < to; m++) {
      minute(p, m, n, failure, open, complaint);
    }
    return this;
  }

  StatsSnapshot snapshot() {
    return new StatsSnapshot(Map.of(), START, buckets);
  }

  /** The end of minute {@code m} (from START), where a learner looking at it would stand. */
  static Instant at(int minute, int second) {
    return START.plusSeconds(minute * 60L + second);
  }
}
