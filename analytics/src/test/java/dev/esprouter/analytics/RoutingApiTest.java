package dev.esprouter.analytics;

import static dev.esprouter.analytics.AnalyticsHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.WeightQuery;
import dev.esprouter.common.routing.WeightSource;
import dev.esprouter.common.routing.Weights;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The loop from provider events to weights, through the real consumer, database and weight source. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingApiTest {

  @RegisterExtension
  static final dev.esprouter.testkit.EspTestEnv env = new dev.esprouter.testkit.EspTestEnv();

  static AnalyticsHarness h;
  static final Instant LONG_AGO = Instant.now().minus(Duration.ofMinutes(20));

  @BeforeAll
  static void start() {
    h = new AnalyticsHarness(env, Map.of("ESP_ROUTING_GATE_BACKOFF_MS", "1000"));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  JsonObject explain(String query) {
    var r = h.get("/v1/routing/explain?" + query, h.apiKey);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  int weight(JsonObject explain, ProviderName p) {
    return explain.getJsonObject("weights").getInteger(p.wire());
  }

  /** n events of one provider for messages created here: delivered, with some bounces of the given side. */
  void outcomes(ProviderName p, int n, int bounces, boolean recipientSide, Instant receivedAt) {
    String prefix = p.wire() + "-" + System.nanoTime() + "-";
    env.database().sql("insert into messages (id, tenant_id, channel, recipient) select '" + prefix
        + "' || g, '" + h.tenantId + "', 'email', 'r' || g || '@example.com' from generate_series(1, " + n + ") g");
    env.database().sql("insert into message_status (id, tenant_id, status, provider) select '" + prefix
        + "' || g, '" + h.tenantId + "', 'sent', '" + p.wire() + "' from generate_series(1, " + n + ") g");
    List<DeliveryEvent> events = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String id = prefix + i;
      events.add(i <= bounces
          ? new DeliveryEvent(p, EventType.BOUNCED, id, null, null, Instant.now(), id + "-b",
              recipientSide ? "550 5.1.1 user unknown" : "554 5.7.1 blocked for poor reputation", recipientSide, null)
          : new DeliveryEvent(p, EventType.DELIVERED, id, null, null, Instant.now(), id + "-d", null, false, null));
    }
    long before = h.count("select count(*) from message_events");
    h.webhook(p, events, receivedAt);
    eventually(() -> h.count("select count(*) from message_events") == before + n);
  }

  @Test
  @Order(1)
  @DisplayName("With no data every email provider starts from its prior share, and the router's source agrees")
  void priorShares() throws Exception {
    JsonObject e = explain("channel=email");
    for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
      assertThat(weight(e, p)).isEqualTo(250);
    }
    Weights w = h.roles.runtime().context().services().find(WeightSource.class).orElseThrow()
        .weights(Channel.EMAIL, WeightQuery.FRESH).await();
    assertThat(w.points().values()).containsExactly(250, 250, 250, 250);
  }

  @Test
  @Order(2)
  @DisplayName("Routes need a valid key and a valid channel; an unknown batch is 404")
  void badRequests() {
    assertThat(h.get("/v1/routing/explain?channel=email", null).statusCode()).isEqualTo(401);
    assertThat(h.get("/v1/providers", "esk_live_nope").statusCode()).isEqualTo(401);
    var missing = h.get("/v1/routing/explain", h.apiKey);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("channel");
    assertThat(h.get("/v1/routing/explain?channel=fax", h.apiKey).statusCode()).isEqualTo(400);
    assertThat(h.get("/v1/routing/explain?channel=email&batch_id=bat_nope", h.apiKey).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(3)
  @DisplayName("A provider with 20% provider-side bounces gets a much lower weight; recipient-side bounces cost nothing")
  void learnsFromEvents() {
    outcomes(ProviderName.SENDGRID, 1000, 200, false, LONG_AGO);
    outcomes(ProviderName.POSTMARK, 1000, 10, false, LONG_AGO);
    outcomes(ProviderName.SPARKPOST, 1000, 10, false, LONG_AGO);
    // SocketLabs: the same provider-side record plus 300 bad addresses any provider would bounce.
    outcomes(ProviderName.SOCKETLABS, 1000, 10, false, LONG_AGO);
    outcomes(ProviderName.SOCKETLABS, 300, 300, true, LONG_AGO);

    eventually(() -> socketlabs(explain("channel=email")).getJsonObject("window").getLong("bounced_recipient") == 300);
    // The split moves in bounded steps per update: wait until it settled.
    eventually(() -> {
      JsonObject x = explain("channel=email");
      return Math.abs(weight(x, ProviderName.SOCKETLABS) - weight(x, ProviderName.SPARKPOST)) <= 5;
    });
    JsonObject e = explain("channel=email");
    assertThat(weight(e, ProviderName.SENDGRID)).isLessThan(weight(e, ProviderName.POSTMARK) / 2);
    assertThat(weight(e, ProviderName.SOCKETLABS)).isBetween(weight(e, ProviderName.SPARKPOST) - 5,
        weight(e, ProviderName.SPARKPOST) + 5);
    assertThat(socketlabs(e).getJsonObject("window").getLong("bounced")).isEqualTo(10);
  }

  static JsonObject socketlabs(JsonObject explain) {
    return explain.getJsonArray("providers").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("name").equals("socketlabs")).findFirst().orElseThrow();
  }

  static JsonObject line(JsonObject explain, ProviderName p) {
    return explain.getJsonArray("providers").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("name").equals(p.wire())).findFirst().orElseThrow();
  }

  static String gate(JsonObject explain, ProviderName p) {
    return line(explain, p).getJsonObject("learned").getJsonObject("gate").getString("state");
  }

  @Test
  @Order(4)
  @DisplayName("Over the block limit a provider is cut, probed after its back-off with a probe's share, and back once its "
      + "probes are clean; a batch's chunks get the same current split")
  void cutProbedBack() {
    JsonObject cut = explain("channel=email");
    assertThat(gate(cut, ProviderName.SENDGRID)).as(cut.encode()).isIn("cut", "probing");
    assertThat(line(cut, ProviderName.SENDGRID).getJsonObject("learned").getJsonObject("gate").getString("reason"))
        .startsWith("failure");
    eventually(() -> gate(explain("channel=email"), ProviderName.SENDGRID).equals("probing"));
    JsonObject probing = explain("channel=email");
    assertThat(weight(probing, ProviderName.SENDGRID)).isEqualTo(20);
    assertThat(line(probing, ProviderName.SENDGRID).getString("excluded")).isEqualTo("probing");

    // Clean probes: enough to prove the block rate and the 0.1 % complaint line (3,000 deliveries).
    outcomes(ProviderName.SENDGRID, 3500, 0, false, Instant.now());
    eventually(() -> gate(explain("channel=email"), ProviderName.SENDGRID).equals("open"));
    eventually(() -> weight(explain("channel=email"), ProviderName.SENDGRID) >= 45);

    Instant started = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    env.database().sql("insert into batches (id, tenant_id, channel, priority, recipients, chunk_count, created_at) "
        + "values ('bat_r', '" + h.tenantId + "', 'email', 'normal', 1000, 2, '" + started + "')");
    JsonObject later = explain("channel=email&batch_id=bat_r");
    assertThat(later.getString("batch_started_at")).isEqualTo(started.toString());
    assertThat(later.getString("basis")).isEqualTo("decayed_memory_with_change_detection");
    assertThat(h.get("/v1/routing/explain?channel=email&domain_group=aol", h.apiKey).statusCode()).isEqualTo(400);
    assertThat(explain("channel=email&domain_group=microsoft").getString("domain_group")).isEqualTo("microsoft");
  }

  @Test
  @Order(5)
  @DisplayName("An open breaker takes a provider to 0 at once, shown in explain and /v1/providers")
  void breakerOpen() {
    ProviderHealth health = h.roles.runtime().context().services().find(ProviderHealth.class).orElseThrow();
    health.breaker(ProviderName.POSTMARK, ProviderHealth.Breaker.OPEN);
    health.currentRate(ProviderName.POSTMARK, 12.5);
    try {
      JsonObject e = explain("channel=email");
      assertThat(weight(e, ProviderName.POSTMARK)).isZero();
      JsonObject postmark = h.get("/v1/providers", h.apiKey).bodyAsJsonObject().getJsonArray("providers").stream()
          .map(JsonObject.class::cast).filter(p -> p.getString("name").equals("postmark")).findFirst().orElseThrow();
      assertThat(postmark.getString("breaker")).isEqualTo("open");
      assertThat(postmark.getString("excluded")).isEqualTo("breaker_open");
      assertThat(postmark.getInteger("weight")).isZero();
      assertThat(postmark.getJsonObject("rate_limit").getDouble("current_per_sec")).isEqualTo(12.5);
      assertThat(postmark.getJsonObject("window").getLong("delivered")).isGreaterThan(0);
    } finally {
      health.breaker(ProviderName.POSTMARK, ProviderHealth.Breaker.CLOSED);
    }
  }

  @Test
  @Order(6)
  @DisplayName("GET /v1/stats/weights: each provider's weight over time per channel and domain group, with SendGrid's "
      + "cut, probes and reopen among the changes and their reasons; a bad channel, group or time is 400")
  void weightHistory() {
    var r = h.get("/v1/stats/weights?channel=email&domain_group=other", h.apiKey);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getJsonObject("weights").fieldNames()).containsExactly("email/other");
    int samples = body.getJsonArray("t").size();
    assertThat(samples).isPositive();
    assertThat(body.getJsonObject("weights").getJsonObject("email/other").getJsonArray("sendgrid").size())
        .isEqualTo(samples);
    List<JsonObject> sendgrid = body.getJsonArray("changes").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("provider").equals("sendgrid")).toList();
    assertThat(sendgrid).extracting(c -> c.getString("kind"))
        .as(body.getJsonArray("changes").encode()).contains("limit_crossed", "probing", "probe_reopened");
    JsonObject cut = sendgrid.stream().filter(c -> c.getString("kind").equals("limit_crossed")).findFirst().orElseThrow();
    assertThat(cut.getString("reason")).startsWith("limit crossed (failure ");
    assertThat(cut.getString("domain_group")).isEqualTo("other");
    assertThat(cut.getInteger("weight")).isZero();

    JsonObject all = h.get("/v1/stats/weights", h.apiKey).bodyAsJsonObject();
    assertThat(all.getJsonObject("weights").fieldNames()).contains("email/gmail", "email/other", "whatsapp",
        "telegram");
    for (String bad : List.of("channel=fax", "domain_group=hotmail", "channel=whatsapp&domain_group=gmail",
        "from=yesterday", "to=2026-13-01T00:00:00Z",
        "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")) {
      var b = h.get("/v1/stats/weights?" + bad, h.apiKey);
      assertThat(b.statusCode()).as(bad + ": " + b.bodyAsString()).isEqualTo(400);
    }
    assertThat(h.get("/v1/stats/weights", null).statusCode()).isEqualTo(401);
  }
}
