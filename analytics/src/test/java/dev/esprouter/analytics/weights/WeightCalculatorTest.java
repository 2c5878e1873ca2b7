package dev.esprouter.analytics.weights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth.Breaker;
import dev.esprouter.common.routing.Weights;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WeightCalculatorTest {

  static final WeightCalculator calc = new WeightCalculator(WeightParameters.DEFAULT);

  /** n resolved sends with the given provider-side failures, recipient-side bounces and complaints. */
  static StatCounts counts(long n, long providerBounces, long recipientBounces, long complaints) {
    long delivered = n - providerBounces - recipientBounces;
    return new StatCounts(n, delivered, delivered / 5, delivered / 50, 0, providerBounces, recipientBounces,
        complaints, 0, 0);
  }

  static ProviderInput input(ProviderName p, StatCounts window) {
    return new ProviderInput(p, true, Breaker.CLOSED, window, null);
  }

  static Map<ProviderName, ProviderInput> email(StatCounts sendgrid, StatCounts postmark, StatCounts socketlabs,
                                                StatCounts sparkpost) {
    Map<ProviderName, ProviderInput> m = new EnumMap<>(ProviderName.class);
    m.put(ProviderName.SENDGRID, input(ProviderName.SENDGRID, sendgrid));
    m.put(ProviderName.POSTMARK, input(ProviderName.POSTMARK, postmark));
    m.put(ProviderName.SOCKETLABS, input(ProviderName.SOCKETLABS, socketlabs));
    m.put(ProviderName.SPARKPOST, input(ProviderName.SPARKPOST, sparkpost));
    return m;
  }

  @Test
  @DisplayName("With no data at all every provider of a channel gets its equal prior share")
  void noDataEqualShares() {
    Weights w = calc.compute(Channel.EMAIL, Map.of()).weights();
    assertThat(w.points().values()).containsExactly(250, 250, 250, 250);
  }

  @Test
  @DisplayName("Weights always sum to exactly 1000")
  void sumsTo1000() {
    Weights w = calc.compute(Channel.EMAIL, email(counts(1000, 13, 0, 1), counts(777, 3, 40, 0),
        counts(12, 0, 0, 0), counts(99_999, 2000, 10, 7))).weights();
    assertThat(w.points().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
  }

  @Test
  @DisplayName("A provider with a 20% provider-side bounce rate gets a much lower weight than 1% ones")
  void badProviderDrops() {
    Weights w = calc.compute(Channel.EMAIL, email(counts(1000, 200, 0, 0), counts(1000, 10, 0, 0),
        counts(1000, 10, 0, 0), counts(1000, 10, 0, 0))).weights();
    assertThat(w.of(ProviderName.SENDGRID)).isLessThan(w.of(ProviderName.POSTMARK) / 2);
    assertThat(w.of(ProviderName.POSTMARK)).isGreaterThan(280);
  }

  @Test
  @DisplayName("Recipient-side bounces do not lower a provider's weight")
  void recipientSideIgnored() {
    StatCounts recipientBounces = new StatCounts(300, 0, 0, 0, 0, 0, 200, 0, 0, 100);
    Weights w = calc.compute(Channel.EMAIL, email(counts(1000, 10, 0, 0).plus(recipientBounces),
        counts(1000, 10, 0, 0), counts(1000, 10, 0, 0), counts(1000, 10, 0, 0))).weights();
    assertThat(w.points().values()).containsExactly(250, 250, 250, 250);
  }

  @Test
  @DisplayName("Spam complaints lower a provider's weight")
  void complaintsPunished() {
    Weights w = calc.compute(Channel.EMAIL, email(counts(10_000, 100, 0, 100), counts(10_000, 100, 0, 1),
        counts(10_000, 100, 0, 1), counts(10_000, 100, 0, 1))).weights();
    assertThat(w.of(ProviderName.SENDGRID)).isLessThan(w.of(ProviderName.POSTMARK) / 2);
  }

  @Test
  @DisplayName("Deferrals (provider-side soft bounces) lower a provider's weight")
  void deferralsPunished() {
    StatCounts deferred = new StatCounts(0, 0, 0, 0, 2500, 0, 0, 0, 0, 0);
    Weights w = calc.compute(Channel.EMAIL, email(counts(10_000, 100, 0, 0).plus(deferred), counts(10_000, 100, 0, 0),
        counts(10_000, 100, 0, 0), counts(10_000, 100, 0, 0))).weights();
    assertThat(w.of(ProviderName.SENDGRID)).isLessThan(w.of(ProviderName.POSTMARK) * 2 / 3);
  }

  @Test
  @DisplayName("Ten bad messages do not swing a provider to 0 or to 1000")
  void smallSamplesSmoothed() {
    Weights w = calc.compute(Channel.EMAIL, email(counts(10, 10, 0, 0), StatCounts.ZERO, StatCounts.ZERO,
        StatCounts.ZERO)).weights();
    assertThat(w.of(ProviderName.SENDGRID)).isGreaterThan(100);
    assertThat(w.of(ProviderName.POSTMARK)).isLessThan(300);
  }

  @Test
  @DisplayName("Even a terrible provider keeps the exploration floor while it is healthy")
  void explorationFloor() {
    Weights w = calc.compute(Channel.EMAIL, email(counts(100_000, 90_000, 0, 500), counts(100_000, 100, 0, 0),
        counts(100_000, 100, 0, 0), counts(100_000, 100, 0, 0))).weights();
    assertThat(w.of(ProviderName.SENDGRID)).isGreaterThanOrEqualTo(50);
  }

  @Test
  @DisplayName("A provider whose breaker is open, or that is disabled, gets 0 and its share is re-split")
  void exclusions() {
    Map<ProviderName, ProviderInput> in = email(counts(1000, 10, 0, 0), counts(1000, 10, 0, 0),
        counts(1000, 10, 0, 0), counts(1000, 10, 0, 0));
    in.put(ProviderName.SENDGRID, new ProviderInput(ProviderName.SENDGRID, true, Breaker.OPEN,
        counts(1000, 10, 0, 0), null));
    in.put(ProviderName.SPARKPOST, new ProviderInput(ProviderName.SPARKPOST, false, Breaker.CLOSED,
        counts(1000, 10, 0, 0), null));
    WeightExplanation e = calc.compute(Channel.EMAIL, in);
    assertThat(e.weights().points()).containsEntry(ProviderName.SENDGRID, 0).containsEntry(ProviderName.SPARKPOST, 0)
        .containsEntry(ProviderName.POSTMARK, 500).containsEntry(ProviderName.SOCKETLABS, 500);
    assertThat(e.provider(ProviderName.SENDGRID).exclusion()).isEqualTo("breaker_open");
    assertThat(e.provider(ProviderName.SPARKPOST).exclusion()).isEqualTo("disabled");
  }

  @Test
  @DisplayName("With every provider excluded all weights are 0")
  void allExcluded() {
    Map<ProviderName, ProviderInput> in = new EnumMap<>(ProviderName.class);
    in.put(ProviderName.META, new ProviderInput(ProviderName.META, true, Breaker.OPEN, StatCounts.ZERO, null));
    assertThat(calc.compute(Channel.WHATSAPP, in).weights().isEmpty()).isTrue();
  }

  @Test
  @DisplayName("A later chunk follows fresh stats once the fresh sample is large, but barely moves on a small one")
  void freshBlend() {
    StatCounts badMonth = counts(10_000, 2000, 0, 0);
    StatCounts good = counts(10_000, 100, 0, 0);
    Map<ProviderName, ProviderInput> in = email(badMonth, good, good, good);
    int before = calc.compute(Channel.EMAIL, in).weights().of(ProviderName.SENDGRID);

    in.replaceAll((p, i) -> new ProviderInput(p, true, Breaker.CLOSED, i.window(), counts(10, 0, 0, 0)));
    int smallFresh = calc.compute(Channel.EMAIL, in).weights().of(ProviderName.SENDGRID);

    in.replaceAll((p, i) -> new ProviderInput(p, true, Breaker.CLOSED, i.window(), counts(5000, 50, 0, 0)));
    WeightExplanation big = calc.compute(Channel.EMAIL, in);

    assertThat(smallFresh).isBetween(before - 15, before + 15);
    assertThat(big.weights().of(ProviderName.SENDGRID)).isGreaterThan(200);
    assertThat(big.laterChunk()).isTrue();
  }

  @Test
  @DisplayName("A recovered provider wins traffic back: its floor traffic brings good data that raises its weight")
  void recovery() {
    StatCounts good = counts(10_000, 100, 0, 0);
    StatCounts bad = counts(2_000, 400, 0, 0);
    int low = calc.compute(Channel.EMAIL, email(bad, good, good, good)).weights().of(ProviderName.SENDGRID);
    // What its exploration-floor share delivered after recovery, added to the same window.
    int recovered = calc.compute(Channel.EMAIL, email(bad.plus(counts(20_000, 200, 0, 0)), good, good, good))
        .weights().of(ProviderName.SENDGRID);
    assertThat(low).isLessThan(130);
    assertThat(recovered).isGreaterThan(220);
  }

  @Test
  @DisplayName("A channel with one provider gives it all 1000 points")
  void singleProvider() {
    assertThat(calc.compute(Channel.TELEGRAM, Map.of()).weights().of(ProviderName.TELEGRAM)).isEqualTo(1000);
  }
}
