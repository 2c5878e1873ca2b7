package dev.esprouter.analytics.weights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatsSnapshotTest {

  static StatCounts delivered(long n) {
    return new StatCounts(0, n, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  static final Instant FROM = Instant.parse("2026-11-23T12:00:00Z");

  static StatsSnapshot snapshot() {
    long m = FROM.getEpochSecond() / 60;
    return new StatsSnapshot(Map.of(ProviderName.SENDGRID, delivered(1000)), FROM, List.of(
        new StatsSnapshot.Bucket(ProviderName.SENDGRID, m + 10, delivered(3)),
        new StatsSnapshot.Bucket(ProviderName.SENDGRID, m, delivered(1)),
        new StatsSnapshot.Bucket(ProviderName.SENDGRID, m + 5, delivered(2)),
        new StatsSnapshot.Bucket(ProviderName.POSTMARK, m + 5, delivered(7))));
  }

  @Test
  @DisplayName("The window totals add the older totals and every recent bucket")
  void window() {
    assertThat(snapshot().window(ProviderName.SENDGRID).delivered()).isEqualTo(1006);
    assertThat(snapshot().window(ProviderName.POSTMARK).delivered()).isEqualTo(7);
    assertThat(snapshot().window(ProviderName.SPARKPOST)).isEqualTo(StatCounts.ZERO);
  }

  @Test
  @DisplayName("Counters since an instant include the minute it falls in and every later one")
  void since() {
    assertThat(snapshot().since(ProviderName.SENDGRID, FROM.plusSeconds(5 * 60 + 30)).delivered()).isEqualTo(5);
    assertThat(snapshot().since(ProviderName.SENDGRID, FROM.plusSeconds(11 * 60)).delivered()).isZero();
    assertThat(snapshot().since(ProviderName.SENDGRID, FROM).delivered()).isEqualTo(6);
  }

  @Test
  @DisplayName("An instant before the recent buckets has no fresh counters (the window alone is used)")
  void beforeRecent() {
    assertThat(snapshot().since(ProviderName.SENDGRID, FROM.minusSeconds(1))).isNull();
  }
}
