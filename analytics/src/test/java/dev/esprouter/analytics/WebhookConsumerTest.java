package dev.esprouter.analytics;

import static dev.esprouter.analytics.AnalyticsHarness.event;
import static dev.esprouter.analytics.AnalyticsHarness.eventually;
import static dev.esprouter.analytics.AnalyticsHarness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhookConsumerTest {

  @RegisterExtension
  static final dev.esprouter.testkit.EspTestEnv env = new dev.esprouter.testkit.EspTestEnv();

  static AnalyticsHarness h;

  @BeforeAll
  static void start() {
    h = new AnalyticsHarness(env, Map.of());
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  String status(String id) {
    return h.env.database().count("select esp_status_rank(status) from message_status where id = '" + id + "'") + "";
  }

  long rank(String status) {
    return h.count("select esp_status_rank('" + status + "')");
  }

  long events(String id) {
    return h.count("select count(*) from message_events where message_id = '" + id + "'");
  }

  @Test
  @DisplayName("Status only moves forward: a late delivered does not overwrite opened, and both are in the timeline")
  void forwardOnly() {
    String id = h.message("email", "a@example.com", ProviderName.SENDGRID, null, "sent");
    h.webhook(ProviderName.SENDGRID, List.of(event(ProviderName.SENDGRID, EventType.OPENED, id, id + "-open")));
    h.webhook(ProviderName.SENDGRID, List.of(event(ProviderName.SENDGRID, EventType.DELIVERED, id, id + "-dlv")));
    eventually(() -> events(id) == 2);
    assertThat(status(id)).isEqualTo(rank("opened") + "");
  }

  @Test
  @DisplayName("A bounce after delivery is recorded: the status becomes bounced with the reason kept")
  void bounceAfterDelivery() {
    String id = h.message("email", "b@example.com", ProviderName.POSTMARK, null, "sent");
    h.webhook(ProviderName.POSTMARK, List.of(event(ProviderName.POSTMARK, EventType.DELIVERED, id, id + "-d"),
        failure(ProviderName.POSTMARK, EventType.BOUNCED, id, id + "-b", "550 5.1.1 user unknown", true)));
    eventually(() -> events(id) == 2);
    assertThat(h.count("select count(*) from message_status where id = '" + id + "' and status = 'bounced' "
        + "and last_error like 'postmark: 550 5.1.1%'")).isEqualTo(1);
  }

  @Test
  @DisplayName("The same provider event delivered twice is recorded and counted once")
  void replay() {
    String id = h.message("email", "c@example.com", ProviderName.SOCKETLABS, null, "sent");
    long before = h.count("select coalesce(sum(clicked), 0) from provider_stats where provider = 'socketlabs'");
    DeliveryEvent click = event(ProviderName.SOCKETLABS, EventType.CLICKED, id, id + "-click");
    h.webhook(ProviderName.SOCKETLABS, List.of(click, click));
    h.webhook(ProviderName.SOCKETLABS, List.of(click));
    String marker = h.message("email", "c2@example.com", ProviderName.SOCKETLABS, null, "sent");
    h.webhook(ProviderName.SOCKETLABS, List.of(event(ProviderName.SOCKETLABS, EventType.DELIVERED, marker, marker)));
    eventually(() -> events(marker) == 1);
    assertThat(events(id)).isEqualTo(1);
    assertThat(h.count("select coalesce(sum(clicked), 0) from provider_stats where provider = 'socketlabs'"))
        .isEqualTo(before + 1);
    assertThat(h.roles.registry().get("esp_analytics_duplicate_events_total").tag("provider", "socketlabs")
        .counter().count()).isGreaterThanOrEqualTo(2);
  }

  @Test
  @DisplayName("An event that names only the provider's message id (no router id) is kept aside and counted: every "
      + "provider carries the router's id, so such an event is not ours to place")
  void providerIdOnly() {
    String id = h.message("email", "d@example.com", ProviderName.SPARKPOST, "sp-123-" + System.nanoTime(), "sent");
    String key = "sp-ev-" + id;
    h.webhook(ProviderName.SPARKPOST, List.of(new DeliveryEvent(ProviderName.SPARKPOST, EventType.DELIVERED, null,
        providerMessageId(id), null, Instant.now(), key, null, false, null)));
    eventually(() -> h.count("select count(*) from unmatched_events where dedupe_key = '" + key + "'") == 1);
    assertThat(status(id)).isEqualTo(rank("sent") + "");
  }

  private String providerMessageId(String id) {
    try (var c = dev.esprouter.testkit.TestDatabase.connect(h.env.database().settings());
         var rs = c.createStatement().executeQuery("select provider_message_id from message_status where id = '" + id + "'")) {
      rs.next();
      return rs.getString(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("An event that overtakes everything the router wrote is recorded at once, with its provider, counted once")
  void eventBeforeTheRouter() {
    String id = "msg_early_" + System.nanoTime();
    long statsBefore = h.count("select coalesce(sum(delivered), 0) from provider_stats where provider = 'meta'");
    h.webhook(ProviderName.META, List.of(event(ProviderName.META, EventType.DELIVERED, id, id + "-d")));
    eventually(() -> events(id) == 1);
    assertThat(h.count("select count(*) from message_status where id = '" + id + "' and status = 'delivered' "
        + "and provider = 'meta'")).isEqualTo(1);
    assertThat(h.count("select count(*) from unmatched_events where event->>'message_id' = '" + id + "'")).isZero();
    assertThat(h.count("select coalesce(sum(delivered), 0) from provider_stats where provider = 'meta'"))
        .isEqualTo(statsBefore + 1);
  }

  @Test
  @DisplayName("A hard bounce suppresses the address for its tenant; the API reads and deletes it; other tenants see 404")
  void suppressionByHardBounce() {
    String id = h.message("email", "Gone@Example.com", ProviderName.SENDGRID, null, "sent");
    h.webhook(ProviderName.SENDGRID, List.of(failure(ProviderName.SENDGRID, EventType.BOUNCED, id, id + "-b",
        "550 5.1.1 no such user", true)));
    eventually(() -> h.count("select count(*) from suppressions where address = 'gone@example.com'") == 1);

    var got = h.get("/v1/suppressions/gone@example.com", h.apiKey);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.bodyAsJsonObject().getJsonArray("suppressions").getJsonObject(0).getString("reason"))
        .isEqualTo("hard_bounce");
    String otherKey = h.newKey(h.newTenant("other"));
    assertThat(h.get("/v1/suppressions/gone@example.com", otherKey).statusCode()).isEqualTo(404);
    assertThat(h.delete("/v1/suppressions/gone@example.com", otherKey).statusCode()).isEqualTo(404);
    assertThat(h.get("/v1/suppressions/gone@example.com", null).statusCode()).isEqualTo(401);

    assertThat(h.delete("/v1/suppressions/Gone@Example.com", h.apiKey).statusCode()).isEqualTo(204);
    assertThat(h.get("/v1/suppressions/gone@example.com", h.apiKey).statusCode()).isEqualTo(404);
    assertThat(h.count("select count(*) from suppressions where address = 'gone@example.com'")).isZero();
  }

  @Test
  @DisplayName("A spam complaint suppresses the address; a provider-side block does not")
  void suppressionByComplaint() {
    String complained = h.message("email", "angry@example.com", ProviderName.SPARKPOST, null, "delivered");
    String blocked = h.message("email", "fine@example.com", ProviderName.SPARKPOST, null, "sent");
    h.webhook(ProviderName.SPARKPOST, List.of(
        event(ProviderName.SPARKPOST, EventType.COMPLAINED, complained, complained + "-c"),
        failure(ProviderName.SPARKPOST, EventType.BOUNCED, blocked, blocked + "-b",
            "554 5.7.1 rejected due to IP reputation", false)));
    eventually(() -> events(blocked) == 1 && events(complained) == 1);
    assertThat(h.count("select count(*) from suppressions where address = 'angry@example.com' and reason = 'complaint'"))
        .isEqualTo(1);
    assertThat(h.count("select count(*) from suppressions where address = 'fine@example.com'")).isZero();
    assertThat(h.get("/v1/suppressions/angry@example.com?channel=sms", h.apiKey).statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("A Telegram blocked-bot event finds the latest message to that chat and suppresses the chat")
  void telegramBlocked() {
    String chat = Long.toString(System.nanoTime());
    String id = h.message("telegram", chat, ProviderName.TELEGRAM, null, "sent");
    h.webhook(ProviderName.TELEGRAM, List.of(new DeliveryEvent(ProviderName.TELEGRAM, EventType.BLOCKED, null, null,
        chat, Instant.now(), "upd-" + chat, "blocked the bot", true, null)));
    eventually(() -> events(id) == 1);
    assertThat(h.count("select count(*) from suppressions where channel = 'telegram' and address = '" + chat
        + "' and reason = 'blocked'")).isEqualTo(1);
    assertThat(status(id)).isEqualTo(rank("sent") + "");
  }

  @Test
  @DisplayName("An unparseable record is counted and skipped; the records after it are still processed")
  void unparseable() {
    h.raw(ProviderName.POSTMARK, Buffer.buffer("{not json"));
    String id = h.message("email", "after@example.com", ProviderName.POSTMARK, null, "sent");
    h.webhook(ProviderName.POSTMARK, List.of(event(ProviderName.POSTMARK, EventType.DELIVERED, id, id)));
    eventually(() -> events(id) == 1);
    assertThat(h.roles.registry().get("esp_analytics_unparseable_records_total").tag("provider", "postmark")
        .counter().count()).isEqualTo(1);
  }

  @Test
  @DisplayName("When PostgreSQL refuses a poll, the same events are written again until it takes them, once")
  void retriesFailedWrites() throws Exception {
    String id = h.message("email", "retry@example.com", ProviderName.SENDGRID, null, "delivered");
    h.env.database().sql("alter table message_events add constraint refuse_clicks check (type <> 'clicked') not valid");
    try {
      h.webhook(ProviderName.SENDGRID, List.of(event(ProviderName.SENDGRID, EventType.CLICKED, id, id + "-click")));
      Thread.sleep(1500);
      assertThat(events(id)).isZero();
    } finally {
      h.env.database().sql("alter table message_events drop constraint refuse_clicks");
    }
    eventually(() -> events(id) == 1);
    assertThat(status(id)).isEqualTo(rank("clicked") + "");
  }

  @Test
  @DisplayName("Events are exported by provider and type, with the consumer lag")
  void metrics() {
    String id = h.message("email", "m@example.com", ProviderName.SENDGRID, null, "sent");
    h.webhook(ProviderName.SENDGRID, List.of(event(ProviderName.SENDGRID, EventType.UNSUBSCRIBED, id, id + "-u")));
    eventually(() -> events(id) == 1);
    String scrape = h.get("/metrics", null).bodyAsString();
    assertThat(scrape).contains("esp_analytics_events_total{provider=\"sendgrid\",type=\"unsubscribed\"} 1.0")
        .contains("esp_analytics_consumer_lag_records").contains("esp_routing_weight_points");
  }
}
