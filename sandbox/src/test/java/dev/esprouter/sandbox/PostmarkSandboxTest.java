package dev.esprouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.SandboxSecrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Postmark in the sandbox")
class PostmarkSandboxTest extends SandboxHarness {

  private static final Map<String, String> AUTH = Map.of("X-Postmark-Server-Token", "server-token",
      "Accept", "application/json");

  static JsonObject message(int i) {
    return new JsonObject().put("From", "Shop <noreply@shop.example>").put("To", "user" + i + "@example.com")
        .put("Subject", "Hi").put("TextBody", "Hello").put("MessageStream", "outbound").put("Tag", "welcome")
        .put("Metadata", new JsonObject().put("esp_message_id", "msg_" + i));
  }

  static JsonArray batch(int n) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < n; i++) {
      a.add(message(i));
    }
    return a;
  }

  @Test
  @DisplayName("a single email is answered 200 with To, SubmittedAt, MessageID and ErrorCode 0, trailing slash or not")
  void single() {
    for (String path : new String[] {"/postmark/email", "/postmark/email/"}) {
      JsonObject r = post(path, AUTH, message(1)).bodyAsJsonObject();
      assertThat(r.getInteger("ErrorCode")).isZero();
      assertThat(r.getString("Message")).isEqualTo("OK");
      assertThat(r.getString("To")).isEqualTo("user1@example.com");
      assertThat(r.getString("MessageID")).matches("[0-9a-f-]{36}");
      assertThat(r.getString("SubmittedAt")).isNotBlank();
    }
    assertThat(stats(ProviderName.POSTMARK).messages()).isEqualTo(2);
  }

  @Test
  @DisplayName("a missing server token is refused 401 with ErrorCode 10")
  void badAuth() {
    HttpResponse<Buffer> r = post("/postmark/email", Map.of(), message(1));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.bodyAsJsonObject().getInteger("ErrorCode")).isEqualTo(10);
    assertThat(stats(ProviderName.POSTMARK).messages()).isZero();
  }

  @Test
  @DisplayName("a batch answers 200 with one result per element in order, refusing only the bad element")
  void batchPerElement() {
    JsonArray b = batch(3);
    b.getJsonObject(1).put("To", "not-an-address");
    HttpResponse<Buffer> r = post("/postmark/email/batch", AUTH, b);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray results = r.bodyAsJsonArray();
    assertThat(results).hasSize(3);
    assertThat(results.getJsonObject(0).getInteger("ErrorCode")).isZero();
    assertThat(results.getJsonObject(1).getInteger("ErrorCode")).isEqualTo(300);
    assertThat(results.getJsonObject(1).getString("Message")).contains("not-an-address");
    assertThat(results.getJsonObject(2).getString("To")).isEqualTo("user2@example.com");
    assertThat(stats(ProviderName.POSTMARK).messages()).isEqualTo(2);
    assertThat(stats(ProviderName.POSTMARK).rejected()).isEqualTo(1);
  }

  @Test
  @DisplayName("a batch of 501 messages is refused 422 with ErrorCode 410; 500 go")
  void batchLimit() {
    HttpResponse<Buffer> r = post("/postmark/email/batch", AUTH, batch(501));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.bodyAsJsonObject().getInteger("ErrorCode")).isEqualTo(410);
    assertThat(stats(ProviderName.POSTMARK).messages()).isZero();
    assertThat(post("/postmark/email/batch", AUTH, batch(500)).statusCode()).isEqualTo(200);
    assertThat(stats(ProviderName.POSTMARK).messages()).isEqualTo(500);
  }

  @Test
  @DisplayName("more than 50 recipients in one message is refused 422 with ErrorCode 300")
  void recipientLimit() {
    StringBuilder to = new StringBuilder();
    for (int i = 0; i < 51; i++) {
      to.append(i == 0 ? "" : ",").append("u").append(i).append("@example.com");
    }
    HttpResponse<Buffer> r = post("/postmark/email", AUTH, message(1).put("To", to.toString()));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.bodyAsJsonObject().getInteger("ErrorCode")).isEqualTo(300);
  }

  @Test
  @DisplayName("a body that is not JSON is refused 422 with ErrorCode 402; one without a body part with 300")
  void malformed() {
    HttpResponse<Buffer> r = post("/postmark/email", AUTH, Buffer.buffer("{oops"));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.bodyAsJsonObject().getInteger("ErrorCode")).isEqualTo(402);
    JsonObject noBody = message(1);
    noBody.remove("TextBody");
    assertThat(post("/postmark/email", AUTH, noBody).bodyAsJsonObject().getInteger("ErrorCode")).isEqualTo(300);
    assertThat(stats(ProviderName.POSTMARK).messages()).isZero();
  }

  @Test
  @DisplayName("webhooks come one object per POST with basic auth, carrying MessageID, Metadata and Tag back")
  void webhooks() {
    outcomes(ProviderName.POSTMARK, new JsonObject().put("delivered", 1.0).put("opened", 1.0).put("clicked", 1.0));
    String messageId = post("/postmark/email", AUTH, message(7)).bodyAsJsonObject().getString("MessageID");
    // Only this message's posts: webhooks of an earlier test's sends may still be arriving.
    var posts = receiver.await("postmark", l -> ofMessage(l, messageId).size() >= 3);
    posts = ofMessage(posts, messageId);
    assertThat(posts).extracting(p -> p.body().toJsonObject().getString("RecordType"))
        .containsExactlyInAnyOrder("Delivery", "Open", "Click");
    for (var p : posts) {
      assertThat(p.headers().get("Authorization")).isEqualTo(SignatureChecks.basic(
          SandboxSecrets.POSTMARK_WEBHOOK_USER, SandboxSecrets.POSTMARK_WEBHOOK_PASSWORD));
      JsonObject e = p.body().toJsonObject();
      assertThat(e.getString("MessageID")).isEqualTo(messageId);
      assertThat(e.getString("Recipient")).isEqualTo("user7@example.com");
      assertThat(e.getJsonObject("Metadata").getString("esp_message_id")).isEqualTo("msg_7");
      assertThat(e.getString("Tag")).isEqualTo("welcome");
    }
  }

  @Test
  @DisplayName("a hard bounce is a Bounce record of type HardBounce that deactivates the address")
  void bounce() {
    outcomes(ProviderName.POSTMARK, new JsonObject().put("bounced", 1.0));
    post("/postmark/email", AUTH, message(3));
    JsonObject e = receiver.await("postmark", l -> !l.isEmpty()).get(0).body().toJsonObject();
    assertThat(e.getString("RecordType")).isEqualTo("Bounce");
    assertThat(e.getString("Type")).isEqualTo("HardBounce");
    assertThat(e.getBoolean("Inactive")).isTrue();
    assertThat(e.getString("Email")).isEqualTo("user3@example.com");
  }

  private static List<WebhookReceiver.Received> ofMessage(List<WebhookReceiver.Received> posts, String messageId) {
    return posts.stream().filter(p -> messageId.equals(p.body().toJsonObject().getString("MessageID"))).toList();
  }
}
