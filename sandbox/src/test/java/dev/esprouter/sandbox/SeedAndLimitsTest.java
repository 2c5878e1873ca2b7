package dev.esprouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.WebhookSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sandboxes of their own: seeds, configured credentials, bounded webhook queues")
class SeedAndLimitsTest {

  private static Vertx vertx;
  private static WebClient client;
  private static WebhookReceiver receiver;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stop() {
    client.close();
    vertx.close().await();
    receiver.close();
  }

  private static int send(SandboxServer s, String key, JsonObject mail) {
    return client.postAbs(s.baseUrl(ProviderName.SENDGRID) + "/v3/mail/send")
        .putHeader("Authorization", "Bearer " + key).sendJsonObject(mail).await().statusCode();
  }

  /** The addresses that bounced among 200 recipients sent to a fresh sandbox with this seed. */
  private static Set<String> bouncedWith(long seed) {
    receiver.clear();
    try (SandboxServer s = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(seed)
        .withWebhookBase(receiver.base()))) {
      s.configure(ProviderName.SENDGRID, new JsonObject().put("webhook_delay_ms", 0)
          .put("latency_ms", new JsonObject().put("p50", 0).put("p99", 0))
          .put("outcomes", new JsonObject().put("bounced", 0.5).put("opened", 0.0).put("clicked", 0.0)
              .put("complained", 0.0).put("soft_bounced", 0.0).put("dropped", 0.0)));
      send(s, "k", SendGridSandboxTest.mail(200));
      var posts = receiver.await("sendgrid", l -> SendGridSandboxTest.eventsOf(l).size() >= 200);
      Set<String> bounced = new TreeSet<>();
      for (Object o : SendGridSandboxTest.eventsOf(posts)) {
        JsonObject e = (JsonObject) o;
        if (e.getString("event").equals("bounce")) {
          bounced.add(e.getString("email"));
        }
      }
      return bounced;
    }
  }

  @Test
  @DisplayName("the same seed draws the same outcomes for the same sends; another seed draws others")
  void seeded() {
    Set<String> first = bouncedWith(7);
    Set<String> again = bouncedWith(7);
    Set<String> other = bouncedWith(8);
    assertThat(first).hasSizeBetween(60, 140).isEqualTo(again).isNotEqualTo(other);
  }

  @Test
  @DisplayName("with credentials configured only those are accepted")
  void configuredCredentials() {
    try (SandboxServer s = SandboxServer.startBlocking(SandboxOptions.defaults()
        .withCredentials(ProviderName.SENDGRID, Map.of("SENDGRID_API_KEY", "SG.right")))) {
      assertThat(send(s, "SG.wrong", SendGridSandboxTest.mail(1))).isEqualTo(401);
      assertThat(send(s, "SG.right", SendGridSandboxTest.mail(1))).isEqualTo(202);
      assertThat(s.stats().of(ProviderName.SENDGRID).messages()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("webhooks that do not fit the bounded queue are counted as dropped instead of growing the heap")
  void boundedQueue() {
    try (SandboxServer s = SandboxServer.startBlocking(SandboxOptions.defaults().withWebhookBase(receiver.base())
        .withWebhooks(WebhookSettings.defaults().withQueuePerProvider(5)))) {
      s.configure(ProviderName.SENDGRID, new JsonObject().put("webhook_delay_ms", 3_600_000)
          .put("outcomes", new JsonObject().put("delivered", 1.0).put("bounced", 0.0).put("soft_bounced", 0.0)
              .put("dropped", 0.0).put("opened", 0.0).put("clicked", 0.0).put("complained", 0.0)));
      assertThat(send(s, "k", SendGridSandboxTest.mail(20))).isEqualTo(202);
      SandboxStats.Provider p = s.stats().of(ProviderName.SENDGRID);
      assertThat(p.messages()).isEqualTo(20);
      assertThat(p.webhooksPending()).isEqualTo(5);
      assertThat(p.webhooksDropped()).isEqualTo(15);
    }
  }

  @Test
  @DisplayName("several event loops serve one port and share one record")
  void instances() {
    try (SandboxServer s = SandboxServer.startBlocking(SandboxOptions.defaults().withInstances(2))) {
      for (int i = 0; i < 4; i++) {
        WebClient fresh = WebClient.create(vertx);
        assertThat(fresh.postAbs(s.baseUrl(ProviderName.SENDGRID) + "/v3/mail/send")
            .putHeader("Authorization", "Bearer k").sendJsonObject(SendGridSandboxTest.mail(2)).await().statusCode())
            .isEqualTo(202);
        fresh.close();
      }
      assertThat(s.stats().of(ProviderName.SENDGRID).messages()).isEqualTo(8);
      assertThat(s.stats().of(ProviderName.SENDGRID).duplicates()).isEqualTo(6);
    }
  }

}
