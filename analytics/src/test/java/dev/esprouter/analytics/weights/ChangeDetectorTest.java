package dev.esprouter.analytics.weights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {

  static final ProviderName PM = ProviderName.POSTMARK;
  static final WeightParameters P = WeightParameters.DEFAULT;

  static ProviderMemory memory(Feed f, int minute, int second) {
    return ProviderMemory.of(f.snapshot(), PM, Feed.at(minute, second), null, P);
  }

  @Test
  @DisplayName("A step from 1% to 20% provider-side failures is found at the minute it started")
  void stepFound() {
    Feed f = new Feed().minutes(PM, 0, 60, 25_000, 0.01, 0.4, 0).minute(PM, 60, 8_000, 0.2, 0.4, 0);
    ProviderMemory m = memory(f, 60, 20);
    assertThat(m.change()).isNotNull();
    assertThat(m.change().metric()).isEqualTo(SenderMetric.FAILURE);
    assertThat(m.change().epochMinute()).isEqualTo(Feed.START.getEpochSecond() / 60 + 60);
    assertThat(m.change().z()).isPositive();
    // The memory now starts at the change: the block rate is the post-change one, not diluted by an hour.
    assertThat(Estimate.of(m, P).failure()).isGreaterThan(0.15);
  }

  @Test
  @DisplayName("The end of a block (20% back to 1%) is a change too, so a healed provider is seen at once")
  void healFound() {
    Feed f = new Feed().minutes(PM, 0, 30, 25_000, 0.2, 0.4, 0).minute(PM, 30, 5_000, 0.01, 0.4, 0);
    ProviderMemory m = memory(f, 30, 15);
    assertThat(m.change()).isNotNull();
    assertThat(m.change().z()).isNegative();
    assertThat(Estimate.of(m, P).failure()).isLessThan(0.03);
  }

  @Test
  @DisplayName("Steady traffic with ordinary noise, or a small noisy minute, is no change")
  void noiseIgnored() {
    Feed f = new Feed();
    for (int m = 0; m < 60; m++) {
      f.minute(PM, m, 25_000, m % 2 == 0 ? 0.0095 : 0.0105, 0.4, 0.001);
    }
    f.minute(PM, 60, 40, 0.05, 0.4, 0); // two blocks in forty sends
    assertThat(memory(f, 60, 30).change()).isNull();
  }

  @Test
  @DisplayName("Complaints jumping from 0.05% to 1% are a change, on the complaint rate")
  void complaintJump() {
    Feed f = new Feed().minutes(PM, 0, 60, 25_000, 0.01, 0.4, 0.0005).minute(PM, 60, 20_000, 0.01, 0.4, 0.01);
    ProviderMemory m = memory(f, 60, 50);
    assertThat(m.change()).isNotNull();
    assertThat(m.change().metric()).isEqualTo(SenderMetric.COMPLAINT);
  }

  @Test
  @DisplayName("Memory forgets: an hour-old bad spell weighs half as much after one slow half-life more")
  void decays() {
    WeightParameters fastForget = new WeightParameters(30, 0.05, 200, P.failure(), P.complaint(), P.deferral(),
        P.open(), P.click(), 60, 120, 30, 1000, 50, 30, 5000, 1000, 80, 0.1, 0.001, 1, 0.02, 50, 30_000, 180_000,
        3_600_000);
    Feed f = new Feed().minute(PM, 0, 1000, 0.5, 0.4, 0);
    ProviderMemory now = ProviderMemory.of(f.snapshot(), PM, Feed.at(0, 30), null, fastForget);
    ProviderMemory hourLater = ProviderMemory.of(f.snapshot(), PM, Feed.at(60, 30), null, fastForget);
    assertThat(hourLater.slow().failures()).isCloseTo(now.slow().failures() / 2, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(hourLater.fast().failures()).isLessThan(1e-6);
  }
}
