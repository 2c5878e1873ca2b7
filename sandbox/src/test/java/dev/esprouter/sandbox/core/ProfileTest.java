package dev.esprouter.sandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.esprouter.common.routing.DomainGroup;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Profile and outcome odds")
class ProfileTest {

  private static final Profile BASE = new Profile(40, 250, 0, 503, 0, 1, false, false,
      OutcomeOdds.of(0.01, 0.02, 0, 0.001, 0.3, 0.05), true, 1000);

  @Test
  @DisplayName("latency is log-normal through p50 and p99")
  void latency() {
    assertThat(BASE.latencyMs(0)).isEqualTo(40);
    assertThat(BASE.latencyMs(2.3263478740408408)).isEqualTo(250);
    assertThat(BASE.with(new JsonObject().put("latency_ms", new JsonObject().put("p50", 0).put("p99", 0)))
        .latencyMs(3)).isZero();
  }

  @Test
  @DisplayName("a patch changes only what it names; the API.md example applies")
  void patch() {
    Profile p = BASE.with(new JsonObject("{\"latency_ms\": {\"p50\": 40, \"p99\": 250}, \"error_rate\": 0.2, "
        + "\"error_status\": 503, \"throttle_after_per_sec\": 100, \"retry_after_s\": 2, \"hang\": false, "
        + "\"down\": false, \"outcomes\": {\"delivered\": 0.97, \"bounced\": 0.02, \"complained\": 0.001, "
        + "\"opened\": 0.35, \"clicked\": 0.05}}"));
    assertThat(p.errorRate()).isEqualTo(0.2);
    assertThat(p.throttleAfterPerSec()).isEqualTo(100);
    assertThat(p.outcomes().bounced()).isEqualTo(0.02);
    assertThat(p.outcomes().softBounced()).isEqualTo(0.01);
    assertThat(p.webhookDelayMs()).isEqualTo(1000);
  }

  @Test
  @DisplayName("out-of-range values and unknown keys are refused with the field named")
  void refuses() {
    assertThatThrownBy(() -> BASE.with(new JsonObject().put("error_rate", 1.5)))
        .isInstanceOf(ProfileException.class).extracting(e -> ((ProfileException) e).field()).isEqualTo("error_rate");
    assertThatThrownBy(() -> BASE.with(new JsonObject().put("latency_ms", new JsonObject().put("p50", 300)
        .put("p99", 100)))).hasMessageContaining("latency_ms.p99");
    assertThatThrownBy(() -> BASE.with(new JsonObject().put("outcomes", new JsonObject().put("clicked", 0.9))))
        .hasMessageContaining("outcomes.clicked");
    assertThatThrownBy(() -> BASE.with(new JsonObject().put("hang", "yes"))).hasMessageContaining("hang");
    assertThatThrownBy(() -> BASE.with(new JsonObject().put("speed", 1))).hasMessageContaining("speed");
    assertThatThrownBy(() -> BASE.with(new JsonObject().put("error_status", 200)))
        .hasMessageContaining("error_status");
  }

  @Test
  @DisplayName("draws split fates by weight and engagement among delivered recipients, a click always with an open")
  void draws() {
    OutcomeOdds odds = OutcomeOdds.of(0.1, 0.2, 0.1, 0.5, 0.4, 0.1);
    assertThat(odds.draw(0.05, 0.9, 0.9).fate()).isEqualTo(Outcome.Fate.HARD_BOUNCE);
    assertThat(odds.draw(0.25, 0.9, 0.9).fate()).isEqualTo(Outcome.Fate.SOFT_BOUNCE);
    assertThat(odds.draw(0.35, 0.9, 0.9).fate()).isEqualTo(Outcome.Fate.DROPPED);
    Outcome delivered = odds.draw(0.5, 0.05, 0.4);
    assertThat(delivered).isEqualTo(new Outcome(Outcome.Fate.DELIVERED, true, true, true));
    assertThat(odds.draw(0.5, 0.3, 0.6)).isEqualTo(new Outcome(Outcome.Fate.DELIVERED, true, false, false));
    assertThat(delivered.emailEvents()).isEqualTo(4);
  }

  @Test
  @DisplayName("blocked takes its own share of the fate draw, after the other failures, and is not a delivery")
  void blockedDraws() {
    OutcomeOdds odds = OutcomeOdds.of(0.1, 0.2, 0.1, 0.5, 0.4, 0.1).with(new JsonObject().put("blocked", 0.2));
    assertThat(odds.delivered()).isCloseTo(0.4, within(1e-9));
    assertThat(odds.draw(0.05, 0.0, 0.0).fate()).isEqualTo(Outcome.Fate.HARD_BOUNCE);
    assertThat(odds.draw(0.45, 0.0, 0.0)).isEqualTo(new Outcome(Outcome.Fate.BLOCKED, false, false, false));
    assertThat(odds.draw(0.65, 0.0, 0.0).fate()).isEqualTo(Outcome.Fate.DELIVERED);
    assertThat(odds.draw(0.45, 0.0, 0.0).emailEvents()).isEqualTo(1);
    assertThatThrownBy(() -> odds.with(new JsonObject().put("blocked", "much")))
        .hasMessageContaining("outcomes.blocked");
  }
  @Test
  @DisplayName("outcomes_by_domain: a domain wins over its group, a group over outcomes; each entry changes only the "
      + "fields it names and follows later changes of outcomes")
  void byDomain() {
    Profile p = BASE.with(new JsonObject("{\"outcomes_by_domain\": {\"microsoft\": {\"blocked\": 0.25}, "
        + "\"Hotmail.com\": {\"blocked\": 0.5, \"opened\": 0.1, \"clicked\": 0.01}}}"));
    DomainOdds d = p.outcomesByDomain();
    OutcomeOdds ms = d.of("a@outlook.com", DomainGroup.MICROSOFT, p.outcomes());
    assertThat(ms.blocked()).isEqualTo(0.25);
    assertThat(ms.opened()).as("the rest from outcomes").isEqualTo(0.3);
    assertThat(ms.delivered()).isCloseTo(1 - 0.01 - 0.02 - 0.25, within(1e-9));
    assertThat(d.of("b@HOTMAIL.com", DomainGroup.MICROSOFT, p.outcomes()).blocked()).isEqualTo(0.5);
    assertThat(d.of("c@gmail.com", DomainGroup.GMAIL, p.outcomes())).isSameAs(p.outcomes());
    assertThat(d.of("15550001", DomainGroup.OTHER, p.outcomes())).isSameAs(p.outcomes());
    assertThat(p.toJson().getJsonObject("outcomes_by_domain").fieldNames()).containsExactly("microsoft", "hotmail.com");

    Profile later = p.with(new JsonObject().put("outcomes", new JsonObject().put("opened", 0.5)).put("error_rate", 0.1));
    assertThat(later.outcomesByDomain().of("a@outlook.com", DomainGroup.MICROSOFT, later.outcomes()).opened())
        .isEqualTo(0.5);
    assertThat(later.outcomesByDomain().of("b@hotmail.com", DomainGroup.MICROSOFT, later.outcomes()).opened())
        .as("named by the entry, kept").isEqualTo(0.1);
    assertThat(later.with(new JsonObject().put("error_rate", 0)).outcomesByDomain()).isEqualTo(later.outcomesByDomain());

    Profile cleared = later.with(new JsonObject().put("outcomes_by_domain", new JsonObject()));
    assertThat(cleared.outcomesByDomain()).isEqualTo(DomainOdds.NONE);
    assertThat(cleared.toJson().getJsonObject("outcomes_by_domain")).isEmpty();
  }

  @Test
  @DisplayName("bad outcomes_by_domain keys and values are refused naming the entry, also when a new outcomes "
      + "would make an entry invalid")
  void byDomainRefuses() {
    assertThat(field(() -> BASE.with(byDomain(new JsonObject().put("microsoft", new JsonObject().put("blocked", 2))))))
        .isEqualTo("outcomes_by_domain.microsoft.blocked");
    assertThat(field(() -> BASE.with(byDomain(new JsonObject().put("hotmail", new JsonObject())))))
        .isEqualTo("outcomes_by_domain.hotmail");
    assertThat(field(() -> BASE.with(byDomain(new JsonObject().put("a@outlook.com", new JsonObject())))))
        .isEqualTo("outcomes_by_domain.a@outlook.com");
    assertThat(field(() -> BASE.with(byDomain(new JsonObject().put("gmail", 0.2)))))
        .isEqualTo("outcomes_by_domain.gmail");
    assertThat(field(() -> BASE.with(byDomain(new JsonObject().put("gmail.com", new JsonObject().put("blockd", 0.2))))))
        .isEqualTo("outcomes_by_domain.gmail.com.blockd");
    assertThat(field(() -> BASE.with(byDomain(new JsonObject().put("gmail.com", new JsonObject())
        .put("GMAIL.COM", new JsonObject()))))).isEqualTo("outcomes_by_domain.GMAIL.COM");
    assertThat(field(() -> BASE.with(new JsonObject().put("outcomes_by_domain", "microsoft"))))
        .isEqualTo("outcomes_by_domain");
    JsonObject many = new JsonObject();
    for (int i = 0; i <= DomainOdds.MAX_ENTRIES; i++) {
      many.put("d" + i + ".example", new JsonObject());
    }
    assertThat(field(() -> BASE.with(byDomain(many)))).isEqualTo("outcomes_by_domain");

    Profile p = BASE.with(byDomain(new JsonObject().put("yahoo", new JsonObject().put("opened", 0.01)))
        .put("outcomes", new JsonObject().put("clicked", 0.0)));
    assertThat(field(() -> p.with(new JsonObject().put("outcomes", new JsonObject().put("clicked", 0.05)
        .put("opened", 0.2))))).as("the base's clicks over the entry's opens").isEqualTo("outcomes_by_domain.yahoo.clicked");
  }

  private static JsonObject byDomain(JsonObject odds) {
    return new JsonObject().put("outcomes_by_domain", odds);
  }

  private static String field(Runnable change) {
    try {
      change.run();
    } catch (ProfileException e) {
      return e.field();
    }
    throw new AssertionError("not refused");
  }
}
