package dev.esprouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.SandboxSecrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SendGrid in the sandbox")
class SendGridSandboxTest extends SandboxHarness {

  private static final String PATH = "/sendgrid/v3/mail/send";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer SG.sandbox-key");

  static JsonObject mail(int personalizations) {
    JsonArray ps = new JsonArray();
    for (int i = 0; i < personalizations; i++) {
      ps.add(new JsonObject()
          .put("to", new JsonArray().add(new JsonObject().put("email", "user" + i + "@example.com")))
          .put("custom_args", new JsonObject().put("esp_message_id", "msg_" + i)));
    }
    return new JsonObject().put("personalizations", ps)
        .put("from", new JsonObject().put("email", "noreply@shop.example"))
        .put("subject", "Hi")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text/plain").put("value", "Hello")));
  }

  @Test
  @DisplayName("a valid bulk send is answered 202 with an empty body and an X-Message-Id, and every recipient counts")
  void accepts() {
    HttpResponse<Buffer> r = post(PATH, AUTH, mail(3));
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body() == null ? 0 : r.body().length()).isZero();
    assertThat(r.getHeader("X-Message-Id")).matches("[A-Za-z0-9_-]{22}");
    assertThat(stats(ProviderName.SENDGRID).messages()).isEqualTo(3);
    assertThat(stats(ProviderName.SENDGRID).requests()).isEqualTo(1);
  }

  @Test
  @DisplayName("a missing or non-Bearer key is refused 401 in SendGrid's error shape and nothing is accepted")
  void badAuth() {
    HttpResponse<Buffer> none = post(PATH, Map.of(), mail(1));
    HttpResponse<Buffer> basic = post(PATH, Map.of("Authorization", "Basic abc"), mail(1));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(none.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("message"))
        .isEqualTo("authorization required");
    assertThat(stats(ProviderName.SENDGRID).messages()).isZero();
    assertThat(stats(ProviderName.SENDGRID).rejected()).isEqualTo(2);
  }

  @Test
  @DisplayName("more than 1000 personalizations is refused 400 naming the personalizations field")
  void tooManyPersonalizations() {
    HttpResponse<Buffer> r = post(PATH, AUTH, mail(1001));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("personalizations");
    assertThat(stats(ProviderName.SENDGRID).messages()).isZero();
  }

  @Test
  @DisplayName("1000 personalizations with a cc each (2000 recipients) is refused: at most 1000 recipients a request")
  void tooManyRecipients() {
    JsonObject m = mail(1000);
    m.getJsonArray("personalizations").forEach(p -> ((JsonObject) p).put("cc", new JsonArray()
        .add(new JsonObject().put("email", "cc" + System.identityHashCode(p) + "@example.com"))));
    HttpResponse<Buffer> r = post(PATH, AUTH, m);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("message"))
        .contains("1000");
    assertThat(post(PATH, AUTH, mail(1000)).statusCode()).isEqualTo(202);
  }

  @Test
  @DisplayName("the same address twice in one request is refused 400")
  void duplicateAddress() {
    JsonObject m = mail(2);
    m.getJsonArray("personalizations").getJsonObject(1).getJsonArray("to").getJsonObject(0)
        .put("email", "USER0@example.com");
    HttpResponse<Buffer> r = post(PATH, AUTH, m);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("message"))
        .contains("duplicate");
  }

  @Test
  @DisplayName("a body that is not JSON, misses from or content, or has a bad field is refused 400 naming the field")
  void malformed() {
    assertThat(post(PATH, AUTH, Buffer.buffer("{not json")).statusCode()).isEqualTo(400);
    JsonObject noFrom = mail(1);
    noFrom.remove("from");
    assertThat(post(PATH, AUTH, noFrom).bodyAsJsonObject().getJsonArray("errors").getJsonObject(0)
        .getString("field")).isEqualTo("from.email");
    JsonObject noContent = mail(1);
    noContent.remove("content");
    assertThat(post(PATH, AUTH, noContent).statusCode()).isEqualTo(400);
    JsonObject badArgs = mail(1);
    badArgs.getJsonArray("personalizations").getJsonObject(0).put("custom_args", new JsonObject().put("n", 1));
    assertThat(post(PATH, AUTH, badArgs).statusCode()).isEqualTo(400);
    JsonObject badName = mail(1);
    badName.getJsonArray("personalizations").getJsonObject(0).getJsonArray("to").getJsonObject(0)
        .put("name", "Doe, Jane");
    assertThat(post(PATH, AUTH, badName).bodyAsJsonObject().getJsonArray("errors").getJsonObject(0)
        .getString("field")).isEqualTo("personalizations.0.to.0.name");
    assertThat(stats(ProviderName.SENDGRID).messages()).isZero();
  }

  @Test
  @DisplayName("events come back as one signed JSON array that verifies with the public key and carries esp_message_id")
  void signedWebhooks() throws Exception {
    outcomes(ProviderName.SENDGRID, new JsonObject().put("delivered", 1.0).put("opened", 1.0).put("clicked", 1.0));
    post(PATH, AUTH, mail(3));
    var posts = receiver.await("sendgrid", list -> eventsOf(list).size() >= 9);
    Set<String> delivered = new HashSet<>();
    for (var post : posts) {
      String ts = post.headers().get("X-Twilio-Email-Event-Webhook-Timestamp");
      String sig = post.headers().get("X-Twilio-Email-Event-Webhook-Signature");
      assertThat(SignatureChecks.sendGridVerifies(SandboxSecrets.SENDGRID_PUBLIC_KEY, ts, post.body().getBytes(), sig))
          .isTrue();
      assertThat(SignatureChecks.sendGridVerifies(SandboxSecrets.SENDGRID_PUBLIC_KEY, ts,
          post.body().copy().appendString(" ").getBytes(), sig)).isFalse();
      for (Object e : post.body().toJsonArray()) {
        assertThat(((JsonObject) e).getLong("timestamp")).as("no event is dated after its POST")
            .isLessThanOrEqualTo(Long.parseLong(ts));
      }
    }
    for (Object o : eventsOf(posts)) {
      JsonObject e = (JsonObject) o;
      assertThat(e.getString("esp_message_id")).isEqualTo("msg_" + e.getString("email").replaceAll("\\D", ""));
      if (e.getString("event").equals("delivered")) {
        delivered.add(e.getString("email"));
      }
    }
    assertThat(delivered).containsExactlyInAnyOrder("user0@example.com", "user1@example.com", "user2@example.com");
    assertThat(eventsOf(posts)).extracting(o -> ((JsonObject) o).getString("event"))
        .containsOnly("delivered", "open", "click");
  }

  @Test
  @DisplayName("hard bounces, soft bounces and drops become bounce (type bounce/blocked) and dropped events")
  void failures() {
    outcomes(ProviderName.SENDGRID, new JsonObject().put("bounced", 1.0));
    assertThat(ownEvent(post(PATH, AUTH, mail(1)))).containsEntry("event", "bounce").containsEntry("type", "bounce");
    outcomes(ProviderName.SENDGRID, new JsonObject().put("soft_bounced", 1.0));
    assertThat(ownEvent(post(PATH, AUTH, mail(1)))).containsEntry("event", "bounce").containsEntry("type", "blocked");
    outcomes(ProviderName.SENDGRID, new JsonObject().put("dropped", 1.0));
    assertThat(ownEvent(post(PATH, AUTH, mail(1)))).containsEntry("event", "dropped")
        .containsEntry("esp_message_id", "msg_0");
  }

  /**
   * The one event of the request that got {@code sent}, told from any other by its X-Message-Id (on a
   * busy machine, another test's webhooks may still be arriving).
   */
  private static Map<String, Object> ownEvent(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> sent) {
    String id = sent.getHeader("X-Message-Id");
    assertThat(id).isNotBlank();
    List<WebhookReceiver.Received> posts = receiver.await("sendgrid", l -> eventsOf(l).stream()
        .anyMatch(e -> ((JsonObject) e).getString("sg_message_id", "").startsWith(id + ".")));
    JsonArray own = new JsonArray();
    eventsOf(posts).forEach(e -> {
      if (((JsonObject) e).getString("sg_message_id", "").startsWith(id + ".")) {
        own.add(e);
      }
    });
    assertThat(own).hasSize(1);
    return own.getJsonObject(0).getMap();
  }

  static JsonArray eventsOf(List<WebhookReceiver.Received> posts) {
    JsonArray all = new JsonArray();
    posts.forEach(p -> all.addAll(p.body().toJsonArray()));
    return all;
  }
}
