package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.analytics.events.FailureClassifier;
import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.providers.webhook.WebhookParsers;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sandbox's two kinds of hard bounce through the router's own parsers ({@code providers}) and
 * analytics' {@link FailureClassifier}: {@code blocked} must come out provider-side (it lowers the
 * provider's score) and {@code bounced} recipient-side (it does not), for every email provider and WhatsApp. The
 * sandbox is written independently of the parsers, so this checks the two against each other.
 */
@DisplayName("The sandbox's blocked and bounced outcomes, as the router's parsers classify them")
class BlockedOutcomeClassificationTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static Vertx vertx;
  private static HttpServer receiver;
  private static final List<Buffer> posts = new CopyOnWriteArrayList<>();
  private static final List<String> paths = new CopyOnWriteArrayList<>();
  private static SandboxServer sandbox;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      paths.add(req.path());
      posts.add(b);
      req.response().end();
    })).listen(0, "127.0.0.1").await();
    sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(3)
        .withWebhookBase("http://127.0.0.1:" + receiver.actualPort() + "/webhooks"));
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("webhook_delay_ms", 0)
          .put("latency_ms", new JsonObject().put("p50", 0).put("p99", 0)));
    }
  }

  @AfterAll
  static void stop() {
    sandbox.close();
    vertx.close().await();
  }

  @BeforeEach
  void clear() {
    posts.clear();
    paths.clear();
  }

  @ParameterizedTest(name = "{0}: blocked is a provider-side {1}, bounced a recipient-side {2}")
  @CsvSource({
      "SENDGRID, BOUNCED, BOUNCED",      // bounce type=bounce, Reputation / 5.7.1 vs Invalid Address / 5.1.1
      "POSTMARK, BOUNCED, BOUNCED",      // Bounce Type Blocked (ISP block) vs HardBounce
      "SOCKETLABS, BOUNCED, BOUNCED",    // Failed Permanent 1002 (blacklisted) vs 2001 (invalid)
      "SPARKPOST, DEFERRED, BOUNCED",    // bounce_class 51 (block: "usually temporary") vs 10 (invalid recipient)
      "META, DROPPED, BOUNCED"           // failed 131048 (spam limit of the number) vs 131026 (cannot receive)
  })
  @DisplayName("each provider's blocked and bounced webhooks")
  void classified(ProviderName p, EventType blockedAs, EventType bouncedAs) {
    assertClassified(p, blockedAs, bouncedAs);
  }

  @ParameterizedTest(name = "{0}: a dropped recipient is not the address's fault")
  @CsvSource({"SENDGRID", "POSTMARK", "SOCKETLABS", "SPARKPOST"})
  @DisplayName("each email provider's drop leaves the address unsuppressed")
  void droppedNeverSuppresses(ProviderName p) {
    DeliveryEvent dropped = onlyFailure(p, "dropped");
    assertThat(dropped.messageId()).isEqualTo("msg_dropped");
    assertThat(FailureClassifier.suppressionReason(dropped)).as(dropped.reason()).isNull();
  }

  /** Sends one recipient with each outcome and checks the single failure event the parser makes of it. */
  private static void assertClassified(ProviderName p, EventType blockedAs, EventType bouncedAs) {
    DeliveryEvent blocked = onlyFailure(p, "blocked");
    assertThat(blocked.type()).isEqualTo(blockedAs);
    assertThat(blocked.recipientSide()).isFalse();
    assertThat(FailureClassifier.classify(blocked)).isEqualTo(FailureClassifier.Side.PROVIDER);
    assertThat(FailureClassifier.suppressionReason(blocked)).as("the address itself is fine").isNull();
    assertThat(blocked.messageId()).isEqualTo("msg_blocked");

    DeliveryEvent bounced = onlyFailure(p, "bounced");
    assertThat(bounced.type()).isEqualTo(bouncedAs);
    assertThat(bounced.recipientSide()).isTrue();
    assertThat(FailureClassifier.classify(bounced)).isEqualTo(FailureClassifier.Side.RECIPIENT);
  }

  private static DeliveryEvent onlyFailure(ProviderName p, String outcome) {
    posts.clear();
    paths.clear();
    sandbox.configure(p, new JsonObject().put("outcomes", new JsonObject().put("delivered", 0.0)
        .put("soft_bounced", 0.0).put("bounced", 0.0).put("dropped", 0.0).put("blocked", 0.0).put(outcome, 1.0)));
    Request r = request(p, "msg_" + outcome);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl(p) + r.path()))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(r.body().encode()));
    r.headers().forEach(b::header);
    try {
      HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).as(res.body()).isBetween(200, 202);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (posts.isEmpty() && System.nanoTime() < deadline) {
      sleep();
    }
    assertThat(paths).as("webhooks of %s", p.wire()).containsOnly("/webhooks/" + p.wire());
    List<DeliveryEvent> events = WebhookParsers.forProvider(p).parse(posts.get(0));
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private record Request(String path, Map<String, String> headers, JsonObject body) {
  }

  /** A one-recipient send in the provider's API, carrying {@code routerId} where the router puts it. */
  private static Request request(ProviderName p, String routerId) {
    String to = routerId.replace('_', '.') + "@example.com";
    return switch (p) {
      case SENDGRID -> new Request("/v3/mail/send", Map.of("Authorization", "Bearer SG.key"), new JsonObject()
          .put("personalizations", new JsonArray().add(new JsonObject()
              .put("to", new JsonArray().add(new JsonObject().put("email", to)))
              .put("custom_args", new JsonObject().put("esp_message_id", routerId))))
          .put("from", new JsonObject().put("email", "noreply@shop.example")).put("subject", "Hi")
          .put("content", new JsonArray().add(new JsonObject().put("type", "text/plain").put("value", "Hello"))));
      case POSTMARK -> new Request("/email", Map.of("X-Postmark-Server-Token", "token", "Accept", "application/json"),
          new JsonObject().put("From", "noreply@shop.example").put("To", to).put("Subject", "Hi")
              .put("TextBody", "Hello").put("MessageStream", "outbound")
              .put("Metadata", new JsonObject().put("esp_message_id", routerId)));
      case SOCKETLABS -> new Request("/api/v1/email", Map.of("Authorization", "Bearer key"), new JsonObject()
          .put("ServerId", 12345).put("Messages", new JsonArray().add(new JsonObject()
              .put("To", new JsonArray().add(new JsonObject().put("emailAddress", to)))
              .put("From", new JsonObject().put("emailAddress", "noreply@shop.example"))
              .put("Subject", "Hi").put("TextBody", "Hello").put("MessageId", routerId).put("MailingId", "bat_1"))));
      case SPARKPOST -> new Request("/api/v1/transmissions", Map.of("Authorization", "key"), new JsonObject()
          .put("recipients", new JsonArray().add(new JsonObject().put("address", new JsonObject().put("email", to))
              .put("metadata", new JsonObject().put("esp_message_id", routerId))))
          .put("content", new JsonObject().put("from", "noreply@shop.example").put("subject", "Hi").put("text", "Hi")));
      case META -> new Request("/v21.0/106540352242922/messages", Map.of("Authorization", "Bearer EAAkey"),
          new JsonObject().put("messaging_product", "whatsapp").put("to", "+16505550001").put("type", "text")
              .put("text", new JsonObject().put("body", "Hello")).put("biz_opaque_callback_data", routerId));
      default -> throw new IllegalArgumentException(p.wire());
    };
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
