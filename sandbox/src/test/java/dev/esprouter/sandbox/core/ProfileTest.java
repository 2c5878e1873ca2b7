package dev.esprouter.sandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
}
