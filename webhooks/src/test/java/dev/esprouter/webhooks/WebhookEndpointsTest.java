package dev.esprouter.webhooks;

import static dev.esprouter.webhooks.SignedRequests.body;
import static dev.esprouter.webhooks.SignedRequests.send;
import static dev.esprouter.webhooks.SignedRequests.signed;
import static dev.esprouter.webhooks.SignedRequests.unsigned;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Ids;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebhookEndpointsTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static RunningRoles roles;
  private static EspConfig config;

  @BeforeAll
  static void start() {
    config = env.config(Map.of("ESP_PROVIDERS_MODE", "sandbox"));
    env.createTopics(config);
    roles = RunningRoles.start(config, new WebhooksRole());
  }

  @AfterAll
  static void stop() {
    if (roles != null) {
      roles.close();
    }
  }

  private static List<ConsumerRecord<String, byte[]>> records(ProviderName p) {
    return TopicRecords.all(env.bootstrapServers(), env.topics().webhooks(p));
  }

  private static List<ConsumerRecord<String, byte[]>> recordsContaining(ProviderName p, String marker) {
    return records(p).stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker)).toList();
  }

  private static double counted(ProviderName p, String result) {
    var c = roles.registry().find("esp_webhook_requests").tags("provider", p.wire(), "result", result).counter();
    return c == null ? 0 : c.count();
  }

  @ParameterizedTest
  @EnumSource(ProviderName.class)
  @DisplayName("A verified webhook is in webhooks.<provider> byte for byte, keyed by provider, before its 200")
  void verifiedIsRecorded(ProviderName p) throws Exception {
    String id = Ids.message();
    String body = body(p, id);
    long before = System.currentTimeMillis();
    double accepted = counted(p, "accepted");

    HttpResponse<String> response = send(signed(roles.baseUrl(), p, body));

    assertThat(response.statusCode()).isEqualTo(200);
    List<ConsumerRecord<String, byte[]>> stored = recordsContaining(p, id);
    assertThat(stored).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo(p.wire());
      assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(body);
      long receivedAt = Long.parseLong(new String(r.headers().lastHeader("esp-received-at").value(),
          StandardCharsets.US_ASCII));
      assertThat(receivedAt).isBetween(before, System.currentTimeMillis());
    });
    assertThat(counted(p, "accepted")).isEqualTo(accepted + 1);
  }

  @ParameterizedTest
  @EnumSource(ProviderName.class)
  @DisplayName("A webhook without its provider's proof of origin gets 401 and nothing is recorded")
  void forgedIsRefused(ProviderName p) throws Exception {
    String id = Ids.message();
    String body = p == ProviderName.SOCKETLABS
        ? body(p, id).replace(SandboxSecrets.SOCKETLABS_WEBHOOK_SECRET, "guessed-secret")
        : body(p, id);
    double forged = counted(p, "forged");

    HttpResponse<String> response = send(unsigned(roles.baseUrl(), p, body));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).isEqualTo("unauthorized");
    assertThat(recordsContaining(p, id)).isEmpty();
    assertThat(counted(p, "forged")).isEqualTo(forged + 1);
  }

  @Test
  @DisplayName("A SendGrid body changed after signing gets 401 and nothing is recorded")
  void tamperedIsRefused() throws Exception {
    String id = Ids.message();
    String other = Ids.message();
    HttpRequest.Builder signedForOther = signed(roles.baseUrl(), ProviderName.SENDGRID, body(ProviderName.SENDGRID,
        other));
    HttpResponse<String> response = send(signedForOther.POST(HttpRequest.BodyPublishers.ofString(
        body(ProviderName.SENDGRID, id))));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(recordsContaining(ProviderName.SENDGRID, id)).isEmpty();
    assertThat(recordsContaining(ProviderName.SENDGRID, other)).isEmpty();
  }

  @Test
  @DisplayName("A verified body that is not in the provider's format gets 400 naming the problem, and nothing is recorded")
  void malformedIsRefused() throws Exception {
    String id = Ids.message();
    double malformed = counted(ProviderName.SENDGRID, "malformed");
    String broken = "[{\"event\":\"delivered\",\"esp_message_id\":\"" + id + "\"";
    HttpResponse<String> sendgrid = send(signed(roles.baseUrl(), ProviderName.SENDGRID, broken));
    String noUpdateId = "{\"message\":{\"text\":\"" + id + "\"}}";
    HttpResponse<String> telegram = send(signed(roles.baseUrl(), ProviderName.TELEGRAM, noUpdateId));

    assertThat(sendgrid.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(sendgrid.body()).getJsonObject("error").getString("code"))
        .isEqualTo("malformed_webhook");
    assertThat(telegram.statusCode()).isEqualTo(400);
    assertThat(telegram.body()).contains("update_id");
    assertThat(recordsContaining(ProviderName.SENDGRID, id)).isEmpty();
    assertThat(recordsContaining(ProviderName.TELEGRAM, id)).isEmpty();
    assertThat(counted(ProviderName.SENDGRID, "malformed")).isEqualTo(malformed + 1);
  }

  @Test
  @DisplayName("SocketLabs' validation handshake is answered 200 with the validation key")
  void socketLabsValidation() throws Exception {
    String validation = "{\"Type\":\"Validation\",\"DateTime\":\"2026-11-23T17:00:00Z\",\"ServerId\":1,"
        + "\"SecretKey\":\"" + SandboxSecrets.SOCKETLABS_WEBHOOK_SECRET + "\"}";
    HttpResponse<String> response = send(signed(roles.baseUrl(), ProviderName.SOCKETLABS, validation));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(SandboxSecrets.SOCKETLABS_WEBHOOK_VALIDATION_KEY);
  }

  @Test
  @DisplayName("Meta's subscription GET echoes hub.challenge for the right verify token and is 403 otherwise")
  void metaChallenge() throws Exception {
    String base = roles.baseUrl() + "/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=";
    HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(base + SandboxSecrets.META_VERIFY_TOKEN)).GET());
    HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(base + "guess")).GET());

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("1158201444");
    assertThat(wrong.statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("A body over the provider's limit gets 413 and nothing is recorded")
  void tooLarge() throws Exception {
    String id = Ids.message();
    String huge = "{\"update_id\":1,\"message\":{\"text\":\"" + id + "x".repeat(300 * 1024) + "\"}}";
    double tooLarge = counted(ProviderName.TELEGRAM, "too_large");

    HttpResponse<String> response = send(signed(roles.baseUrl(), ProviderName.TELEGRAM, huge));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(recordsContaining(ProviderName.TELEGRAM, id)).isEmpty();
    assertThat(counted(ProviderName.TELEGRAM, "too_large")).isEqualTo(tooLarge + 1);
  }

  @Test
  @DisplayName("In live mode with no webhook secrets configured every provider's webhook gets 401 (fail closed)")
  void liveModeFailsClosed() throws Exception {
    EspConfig live = env.config(Map.of("ESP_PROVIDERS_MODE", "live"));
    try (RunningRoles liveRoles = RunningRoles.start(live, new WebhooksRole())) {
      for (ProviderName p : ProviderName.values()) {
        String id = Ids.message();
        HttpResponse<String> response = send(signed(liveRoles.baseUrl(), p, body(p, id)));
        assertThat(response.statusCode()).as(p.wire()).isEqualTo(401);
        assertThat(recordsContaining(p, id)).as(p.wire()).isEmpty();
      }
    }
  }
}
