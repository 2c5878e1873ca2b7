package dev.esprouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.ProfileException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The provider-side hard bounce ({@code outcomes.blocked}): each provider reports it in the fields it
 * uses for a reputation or policy block, never as the "no such address" bounce of {@code bounced}.
 */
@DisplayName("The blocked outcome (a provider-side hard bounce)")
class BlockedOutcomeTest extends SandboxHarness {

  private static final JsonObject ALL_BLOCKED = new JsonObject().put("delivered", 0.0).put("blocked", 1.0);

  @Test
  @DisplayName("SendGrid reports a bounce of type bounce, classified Reputation with status 5.7.1")
  void sendGrid() {
    outcomes(ProviderName.SENDGRID, ALL_BLOCKED);
    post("/sendgrid/v3/mail/send", Map.of("Authorization", "Bearer SG.sandbox-key"), SendGridSandboxTest.mail(1));
    JsonArray events = SendGridSandboxTest.eventsOf(receiver.await("sendgrid", l -> !l.isEmpty()));
    assertThat(events).hasSize(1);
    assertThat(events.getJsonObject(0).getMap()).containsEntry("event", "bounce").containsEntry("type", "bounce")
        .containsEntry("bounce_classification", "Reputation").containsEntry("status", "5.7.1")
        .containsEntry("esp_message_id", "msg_0");
    assertThat(events.getJsonObject(0).getString("reason")).startsWith("550 5.7.1").contains("reputation");
  }

  @Test
  @DisplayName("Postmark reports a Bounce of Type Blocked (ISP block, TypeCode 100006) that leaves the address active")
  void postmark() {
    outcomes(ProviderName.POSTMARK, ALL_BLOCKED);
    post("/postmark/email", Map.of("X-Postmark-Server-Token", "server-token"), PostmarkSandboxTest.message(3));
    JsonObject e = receiver.await("postmark", l -> !l.isEmpty()).get(0).body().toJsonObject();
    assertThat(e.getMap()).containsEntry("RecordType", "Bounce").containsEntry("Type", "Blocked")
        .containsEntry("TypeCode", 100006).containsEntry("Inactive", false).containsEntry("Email", "user3@example.com");
    assertThat(e.getString("Details")).contains("5.7.1").contains("reputation");
    assertThat(e.getJsonObject("Metadata").getString("esp_message_id")).isEqualTo("msg_3");
  }

  @Test
  @DisplayName("SocketLabs reports Failed, Permanent, FailureCode 1002 (blacklisted), not a 2xxx address failure")
  void socketLabs() {
    outcomes(ProviderName.SOCKETLABS, ALL_BLOCKED);
    post("/socketlabs/api/v1/email", Map.of("Authorization", "Bearer sandbox-socketlabs-key"),
        SocketLabsSandboxTest.request(new JsonArray().add(SocketLabsSandboxTest.message(2))));
    JsonObject e = receiver.await("socketlabs", l -> !l.isEmpty()).get(0).body().toJsonObject();
    assertThat(e.getMap()).containsEntry("Type", "Failed").containsEntry("FailureType", "Permanent")
        .containsEntry("FailureCode", 1002).containsEntry("BounceStatus", "5.7.1").containsEntry("MessageId", "msg_2");
    assertThat(e.getString("Reason")).contains("blacklist");
  }

  @Test
  @DisplayName("SparkPost reports a bounce of bounce_class 51 (spam block), not class 10 (invalid recipient)")
  void sparkPost() {
    outcomes(ProviderName.SPARKPOST, ALL_BLOCKED);
    post("/sparkpost/api/v1/transmissions", Map.of("Authorization", "sandbox-sparkpost-key"),
        SparkPostSandboxTest.transmission(1));
    JsonArray posts = receiver.await("sparkpost", l -> !l.isEmpty()).get(0).body().toJsonArray();
    JsonObject e = posts.getJsonObject(0).getJsonObject("msys").getJsonObject("message_event");
    assertThat(e.getMap()).containsEntry("type", "bounce").containsEntry("bounce_class", "51")
        .containsEntry("error_code", "554");
    assertThat(e.getString("reason")).contains("5.7.1").contains("blocklist");
    assertThat(e.getJsonObject("rcpt_meta").getString("esp_message_id")).isEqualTo("msg_0");
  }

  @Test
  @DisplayName("Meta reports failed with 131048 (spam rate limit of the phone number), not 131026 (cannot receive)")
  void meta() {
    outcomes(ProviderName.META, ALL_BLOCKED);
    post("/meta/v21.0/106540352242922/messages", Map.of("Authorization", "Bearer EAAsandbox"),
        MetaSandboxTest.template("+16505550001", "msg_1"));
    JsonArray statuses = MetaSandboxTest.statuses(receiver.await("meta",
        l -> MetaSandboxTest.statuses(l).size() >= 2));
    JsonObject failed = statuses.stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("status").equals("failed")).findFirst().orElseThrow();
    assertThat(failed.getJsonArray("errors").getJsonObject(0).getInteger("code")).isEqualTo(131048);
    assertThat(failed.getString("biz_opaque_callback_data")).isEqualTo("msg_1");
  }

  @Test
  @DisplayName("PUT /sandbox/providers/{name} sets outcomes.blocked, delivered taking the rest; a bad value changes nothing")
  void controlApi() {
    HttpResponse<Buffer> ok = request(HttpMethod.PUT, "/sandbox/providers/sendgrid", Map.of(),
        new JsonObject().put("outcomes", new JsonObject().put("blocked", 0.2).put("bounced", 0.01)
            .put("soft_bounced", 0.0).put("dropped", 0.0)).toBuffer());
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonObject outcomes = ok.bodyAsJsonObject().getJsonObject("outcomes");
    assertThat(outcomes.getDouble("blocked")).isEqualTo(0.2);
    assertThat(outcomes.getDouble("delivered")).isCloseTo(0.79, within(1e-9));

    HttpResponse<Buffer> bad = request(HttpMethod.PUT, "/sandbox/providers/sendgrid", Map.of(),
        new JsonObject().put("outcomes", new JsonObject().put("blocked", 1.5)).toBuffer());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("outcomes.blocked");
    assertThat(get("/sandbox/providers/sendgrid").bodyAsJsonObject().getJsonObject("outcomes").getDouble("blocked"))
        .isEqualTo(0.2);
  }

  @Test
  @DisplayName("SandboxOptions.withProfile starts a provider with the changed profile, and reset returns to it")
  void optionsProfile() {
    JsonObject patch = new JsonObject().put("outcomes", new JsonObject().put("blocked", 0.2));
    try (SandboxServer s = SandboxServer.startBlocking(SandboxOptions.defaults()
        .withProfile(ProviderName.SPARKPOST, patch).withWebhookBase(receiver.base()))) {
      assertThat(s.profile(ProviderName.SPARKPOST).outcomes().blocked()).isEqualTo(0.2);
      assertThat(s.profile(ProviderName.SENDGRID).outcomes().blocked()).isZero();
      s.configure(ProviderName.SPARKPOST, new JsonObject().put("outcomes", new JsonObject().put("blocked", 0.0)));
      s.reset();
      assertThat(s.profile(ProviderName.SPARKPOST).outcomes().blocked()).isEqualTo(0.2);
    }
    assertThatThrownBy(() -> SandboxOptions.defaults().withProfile(ProviderName.SENDGRID,
        new JsonObject().put("outcomes", new JsonObject().put("blocked", -0.1))))
        .isInstanceOf(ProfileException.class).hasMessageContaining("outcomes.blocked");
  }
}
