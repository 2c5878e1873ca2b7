package dev.esprouter.analytics.weights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.ProviderHealth.Breaker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WeightHistoryTest {

  static final ProviderName PM = ProviderName.POSTMARK;
  static final WeightCalculator CALC = new WeightCalculator(WeightParameters.DEFAULT);

  static WeightExplanation explain(Learner.Allocation a, Map<ProviderName, Breaker> breakers) {
    Map<ProviderName, ProviderInput> in = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
      in.put(p, new ProviderInput(p, true, breakers.getOrDefault(p, Breaker.CLOSED), 1, StatCounts.ZERO));
    }
    return CALC.compute(Channel.EMAIL, DomainGroup.MICROSOFT, a, in);
  }

  static List<String> kinds(JsonArray changes, ProviderName p) {
    return changes.stream().map(o -> (JsonObject) o).filter(c -> c.getString("provider").equals(p.wire()))
        .map(c -> c.getString("kind")).toList();
  }

  @Test
  @DisplayName("A cut is recorded with the rate that crossed its limit, the others' big moves with the provider whose "
      + "share they took; a breaker's transitions too; the samples are the points a fresh send gets")
  void reasons() {
    WeightHistory h = new WeightHistory(10, Duration.ofHours(1), 100);
    Learner l = new Learner(Channel.EMAIL, "email/microsoft", 1, WeightParameters.DEFAULT);
    Feed f = LearnerTest.issue(new Feed(), 0, 60, 0);
    h.record(Feed.at(60, 0), List.of(explain(l.update(f.snapshot(), Feed.at(60, 0)), Map.of())));
    f.minute(PM, 60, 1500, 0.2, 0.45, 0);
    h.record(Feed.at(60, 15), List.of(explain(l.update(f.snapshot(), Feed.at(60, 15)), Map.of())));
    h.record(Feed.at(60, 30), List.of(explain(l.last(), Map.of(ProviderName.SENDGRID, Breaker.OPEN))));

    JsonObject all = h.query(Feed.at(59, 0), Feed.at(61, 0), null, null, 1440);
    JsonArray changes = all.getJsonArray("changes");
    assertThat(kinds(changes, PM)).containsExactly("change_detected", "limit_crossed");
    JsonObject cut = changes.stream().map(o -> (JsonObject) o)
        .filter(c -> c.getString("kind").equals("limit_crossed")).findFirst().orElseThrow();
    assertThat(cut.getString("reason")).startsWith("limit crossed (failure ");
    assertThat(cut.getString("domain_group")).isEqualTo("microsoft");
    assertThat(cut.getInteger("weight_before")).isGreaterThan(800);
    assertThat(cut.getInteger("weight")).isZero();
    JsonObject took = changes.stream().map(o -> (JsonObject) o)
        .filter(c -> c.getString("kind").equals("allocation")).findFirst().orElseThrow();
    assertThat(took.getString("reason")).isEqualTo("takes share freed by postmark (limit_crossed)");
    assertThat(kinds(changes, ProviderName.SENDGRID)).contains("breaker_open");

    // Samples every 10 s: the one at 60:15 is 15 s after the first, the one at 60:30 only 15 s after it.
    assertThat(all.getJsonArray("t").size()).isEqualTo(3);
    JsonArray pm = all.getJsonObject("weights").getJsonObject("email/microsoft").getJsonArray("postmark");
    assertThat(pm.getInteger(0)).isGreaterThan(800);
    assertThat(pm.getInteger(1)).isZero();
    assertThat(all.getJsonObject("weights").getJsonObject("whatsapp").getJsonArray("meta").size()).isEqualTo(3);

    JsonObject gmail = h.query(Feed.at(59, 0), Feed.at(61, 0), Channel.EMAIL, DomainGroup.GMAIL, 1440);
    assertThat(gmail.getJsonObject("weights").fieldNames()).containsExactly("email/gmail");
    assertThat(gmail.getJsonArray("changes")).isEmpty();
  }

  @Test
  @DisplayName("Bounded: samples older than the kept time are dropped, and a long range gets at most maxPoints a series")
  void bounded() {
    WeightHistory h = new WeightHistory(10, Duration.ofMinutes(1), 100);
    Learner l = new Learner(Channel.EMAIL, "email/microsoft", 1, WeightParameters.DEFAULT);
    Learner.Allocation a = l.update(LearnerTest.issue(new Feed(), 0, 60, 0).snapshot(), Feed.at(60, 0));
    for (int i = 0; i < 100; i++) {
      h.record(Feed.at(60, 0).plusSeconds(10L * i), List.of(explain(a, Map.of())));
    }
    Instant end = Feed.at(60, 0).plusSeconds(990);
    JsonObject all = h.query(Feed.START, end, null, null, 1440);
    assertThat(all.getJsonArray("t").size()).isEqualTo(7);
    assertThat(all.getString("kept_from")).isEqualTo(end.minusSeconds(60).toString());
    JsonObject coarse = h.query(Feed.START, end, null, null, 3);
    assertThat(coarse.getJsonArray("t").size()).isLessThanOrEqualTo(3);
    assertThat(coarse.getLong("step_seconds")).isEqualTo(30);
  }
}
