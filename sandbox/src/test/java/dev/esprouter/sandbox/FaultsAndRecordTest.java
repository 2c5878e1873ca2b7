package dev.esprouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sandbox faults, control API and record")
class FaultsAndRecordTest extends SandboxHarness {

  private static final String SENDGRID = "/sendgrid/v3/mail/send";
  private static final Map<String, String> SG_AUTH = Map.of("Authorization", "Bearer SG.k");
  private static final String TELEGRAM = "/telegram/bot1:abc/sendMessage";

  private static HttpResponse<Buffer> put(String name, JsonObject body) {
    return request(HttpMethod.PUT, "/sandbox/providers/" + name, Map.of("content-type", "application/json"),
        body.toBuffer());
  }

  @Test
  @DisplayName("down closes the connection without an answer, and the refusal is counted")
  void down() {
    assertThat(put("sendgrid", new JsonObject().put("down", true)).statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> post(SENDGRID, SG_AUTH, SendGridSandboxTest.mail(1))).isNotNull();
    assertThat(stats(ProviderName.SENDGRID).rejected()).isEqualTo(1);
    assertThat(stats(ProviderName.SENDGRID).messages()).isZero();
    put("sendgrid", new JsonObject().put("down", false));
    assertThat(post(SENDGRID, SG_AUTH, SendGridSandboxTest.mail(1)).statusCode()).isEqualTo(202);
  }

  @Test
  @DisplayName("hang holds the request unanswered until hang is switched off, which closes it")
  void hang() throws Exception {
    put("postmark", new JsonObject().put("hang", true));
    var pending = client.postAbs(sandbox.baseUrl() + "/postmark/email").putHeader("X-Postmark-Server-Token", "t")
        .sendJsonObject(PostmarkSandboxTest.message(1));
    TimeUnit.MILLISECONDS.sleep(300);
    assertThat(pending.isComplete()).isFalse();
    put("postmark", new JsonObject().put("hang", false));
    assertThatThrownBy(() -> pending.await(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(stats(ProviderName.POSTMARK).messages()).isZero();
  }

  @Test
  @DisplayName("error_rate 1 answers every request with error_status in the provider's own shape")
  void errors() {
    put("sendgrid", new JsonObject().put("error_rate", 1.0).put("error_status", 503));
    put("postmark", new JsonObject().put("error_rate", 1.0).put("error_status", 503));
    put("telegram", new JsonObject().put("error_rate", 1.0).put("error_status", 500));
    HttpResponse<Buffer> sg = post(SENDGRID, SG_AUTH, SendGridSandboxTest.mail(1));
    assertThat(sg.statusCode()).isEqualTo(503);
    assertThat(sg.bodyAsJsonObject().getJsonArray("errors")).isNotEmpty();
    HttpResponse<Buffer> pm = post("/postmark/email", Map.of("X-Postmark-Server-Token", "t"),
        PostmarkSandboxTest.message(1));
    assertThat(pm.statusCode()).isEqualTo(503);
    assertThat(pm.bodyAsJsonObject().getInteger("ErrorCode")).isEqualTo(100);
    HttpResponse<Buffer> tg = post(TELEGRAM, Map.of(), new JsonObject().put("chat_id", 1).put("text", "x"));
    assertThat(tg.bodyAsJsonObject().getMap()).containsEntry("ok", false).containsEntry("error_code", 500);
    assertThat(stats(ProviderName.SENDGRID).messages()).isZero();
    assertThat(stats(ProviderName.SENDGRID).rejected()).isEqualTo(1);
  }

  @Test
  @DisplayName("above throttle_after_per_sec each provider answers with its own retry signal")
  void throttle() {
    for (ProviderName p : ProviderName.values()) {
      put(p.wire(), new JsonObject().put("throttle_after_per_sec", 1).put("retry_after_s", 7));
    }
    long now = System.currentTimeMillis() / 1000;
    assertThat(post(SENDGRID, SG_AUTH, SendGridSandboxTest.mail(1)).statusCode()).isEqualTo(202);
    HttpResponse<Buffer> sg = post(SENDGRID, SG_AUTH, SendGridSandboxTest.mail(1));
    assertThat(sg.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(sg.getHeader("X-RateLimit-Reset"))).isBetween(now + 6, now + 9);
    assertThat(sg.getHeader("X-RateLimit-Remaining")).isEqualTo("0");

    JsonObject tgBody = new JsonObject().put("chat_id", 1).put("text", "x");
    post(TELEGRAM, Map.of(), tgBody);
    HttpResponse<Buffer> tg = post(TELEGRAM, Map.of(), tgBody);
    assertThat(tg.statusCode()).isEqualTo(429);
    assertThat(tg.bodyAsJsonObject().getJsonObject("parameters").getInteger("retry_after")).isEqualTo(7);

    String meta = "/meta/v21.0/1065/messages";
    Map<String, String> metaAuth = Map.of("Authorization", "Bearer t");
    post(meta, metaAuth, MetaSandboxTest.template("16505550001", "a"));
    HttpResponse<Buffer> wa = post(meta, metaAuth, MetaSandboxTest.template("16505550001", "b"));
    assertThat(wa.statusCode()).isEqualTo(400);
    assertThat(wa.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(130429);

    String sp = "/sparkpost/api/v1/transmissions";
    post(sp, Map.of("Authorization", "k"), SparkPostSandboxTest.transmission(1));
    assertThat(post(sp, Map.of("Authorization", "k"), SparkPostSandboxTest.transmission(1)).statusCode())
        .isEqualTo(420);

    String sl = "/socketlabs/api/v1/email";
    JsonObject slBody = SocketLabsSandboxTest.request(new JsonArray().add(SocketLabsSandboxTest.message(1)));
    post(sl, Map.of("Authorization", "Bearer k"), slBody);
    assertThat(post(sl, Map.of("Authorization", "Bearer k"), slBody).bodyAsJsonObject().getString("ErrorCode"))
        .isEqualTo("OverQuota");

    Map<String, String> pmAuth = Map.of("X-Postmark-Server-Token", "t");
    post("/postmark/email", pmAuth, PostmarkSandboxTest.message(1));
    assertThat(post("/postmark/email", pmAuth, PostmarkSandboxTest.message(1)).statusCode()).isEqualTo(429);
  }

  @Test
  @DisplayName("a body over the provider's limit is refused 413 in its shape")
  void tooLarge() {
    JsonObject big = MetaSandboxTest.template("16505550001", "x".repeat(5 * 1024 * 1024));
    HttpResponse<Buffer> r = post("/meta/v21.0/1065/messages", Map.of("Authorization", "Bearer t"), big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(100);
    assertThat(stats(ProviderName.META).rejected()).isEqualTo(1);
  }

  @Test
  @DisplayName("the same router message id accepted twice counts one duplicate")
  void duplicates() {
    post(SENDGRID, SG_AUTH, SendGridSandboxTest.mail(3));
    post(SENDGRID, SG_AUTH, SendGridSandboxTest.mail(2));
    SandboxStats.Provider s = stats(ProviderName.SENDGRID);
    assertThat(s.messages()).isEqualTo(5);
    assertThat(s.duplicates()).isEqualTo(2);
    JsonObject json = get("/sandbox/stats").bodyAsJsonObject().getJsonObject("providers").getJsonObject("sendgrid");
    assertThat(json.getMap()).containsEntry("requests", 2).containsEntry("messages", 5)
        .containsEntry("duplicates", 2).containsEntry("rejected", 0).containsKey("webhooks_sent");
  }

  @Test
  @DisplayName("a bad profile change is refused 400 naming the field and changes nothing; an unknown provider is 404")
  void badProfile() {
    JsonObject before = get("/sandbox/providers/sendgrid").bodyAsJsonObject();
    HttpResponse<Buffer> r = put("sendgrid", new JsonObject().put("latency_ms", new JsonObject().put("p50", 5))
        .put("error_rate", 2));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("error_rate");
    assertThat(put("sendgrid", new JsonObject().put("outcomes", new JsonObject().put("bouncy", 0.1))).statusCode())
        .isEqualTo(400);
    assertThat(put("sendgrid", new JsonObject().put("retry", true)).statusCode()).isEqualTo(400);
    assertThat(get("/sandbox/providers/sendgrid").bodyAsJsonObject()).isEqualTo(before);
    assertThat(put("mailgun", new JsonObject().put("down", true)).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("reset zeroes the record and restores the default profiles")
  void reset() {
    put("sendgrid", new JsonObject().put("error_rate", 0.5));
    post(SENDGRID, SG_AUTH, SendGridSandboxTest.mail(1));
    assertThat(request(HttpMethod.POST, "/sandbox/reset", Map.of(), null).statusCode()).isEqualTo(204);
    assertThat(stats(ProviderName.SENDGRID).requests()).isZero();
    assertThat(sandbox.profile(ProviderName.SENDGRID)).isEqualTo(DefaultProfiles.of(ProviderName.SENDGRID));
  }

  @Test
  @DisplayName("webhooks:false stops a provider's webhooks while its sends are still answered")
  void webhooksOff() {
    put("sendgrid", new JsonObject().put("webhooks", false));
    assertThat(post(SENDGRID, SG_AUTH, SendGridSandboxTest.mail(5)).statusCode()).isEqualTo(202);
    assertThat(stats(ProviderName.SENDGRID).webhooksPending()).isZero();
    assertThat(stats(ProviderName.SENDGRID).webhooksDropped()).isZero();
  }

  @Test
  @DisplayName("a receiver answering 500 gets the webhook again up to the last attempt, then it counts as failed")
  void retries() {
    outcomes(ProviderName.SENDGRID, new JsonObject().put("delivered", 1.0));
    receiver.answerWith(500);
    post(SENDGRID, SG_AUTH, SendGridSandboxTest.mail(1));
    receiver.await("sendgrid", l -> l.size() >= 3);
    awaitNoWebhooksInFlight();
    assertThat(receiver.posts("sendgrid")).hasSize(3);
    assertThat(stats(ProviderName.SENDGRID).webhooksFailed()).isEqualTo(1);
    assertThat(stats(ProviderName.SENDGRID).webhooksSent()).isZero();
  }

  @Test
  @DisplayName("Postmark stops retrying after a 403, as it documents")
  void postmarkStopsOn403() {
    outcomes(ProviderName.POSTMARK, new JsonObject().put("delivered", 1.0));
    receiver.answerWith(403);
    post("/postmark/email", Map.of("X-Postmark-Server-Token", "t"), PostmarkSandboxTest.message(1));
    receiver.await("postmark", l -> l.size() >= 1);
    awaitNoWebhooksInFlight();
    assertThat(receiver.posts("postmark")).hasSize(1);
    assertThat(stats(ProviderName.POSTMARK).webhooksFailed()).isEqualTo(1);
  }

  @Test
  @DisplayName("outcomes_by_domain blocks only the recipients of the group named (a domain overriding its group), "
      + "and the record counts recipients by domain group")
  void outcomesByDomain() {
    outcomes(ProviderName.SENDGRID, new JsonObject().put("delivered", 1.0));
    HttpResponse<Buffer> r = put("sendgrid", new JsonObject().put("outcomes_by_domain", new JsonObject()
        .put("microsoft", new JsonObject().put("delivered", 0.0).put("blocked", 1.0))
        .put("live.com", new JsonObject().put("delivered", 1.0).put("blocked", 0.0))));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonObject("outcomes_by_domain").getJsonObject("microsoft").getDouble("blocked"))
        .isEqualTo(1.0);

    JsonObject mail = SendGridSandboxTest.mail(0);
    String[] to = {"a@gmail.com", "b@outlook.com", "c@Hotmail.com", "d@live.com", "e@shop.example", "f@gmail.com"};
    for (int i = 0; i < to.length; i++) {
      mail.getJsonArray("personalizations").add(new JsonObject()
          .put("to", new JsonArray().add(new JsonObject().put("email", to[i])))
          .put("custom_args", new JsonObject().put("esp_message_id", "msg_" + i)));
    }
    assertThat(post(SENDGRID, SG_AUTH, mail).statusCode()).isEqualTo(202);
    JsonArray events = SendGridSandboxTest.eventsOf(receiver.await("sendgrid",
        l -> SendGridSandboxTest.eventsOf(l).size() >= to.length));
    Map<String, String> fate = new java.util.HashMap<>();
    events.forEach(e -> fate.put(((JsonObject) e).getString("email"), ((JsonObject) e).getString("event")));
    assertThat(fate).containsEntry("a@gmail.com", "delivered").containsEntry("f@gmail.com", "delivered")
        .containsEntry("b@outlook.com", "bounce").containsEntry("c@Hotmail.com", "bounce")
        .containsEntry("d@live.com", "delivered").containsEntry("e@shop.example", "delivered");

    SandboxStats.Provider s = stats(ProviderName.SENDGRID);
    assertThat(s.messages(DomainGroup.GMAIL)).isEqualTo(2);
    assertThat(s.messages(DomainGroup.MICROSOFT)).isEqualTo(3);
    assertThat(s.messages(DomainGroup.OTHER)).isEqualTo(1);
    assertThat(get("/sandbox/stats").bodyAsJsonObject().getJsonObject("providers").getJsonObject("sendgrid")
        .getJsonObject("messages_by_group").getMap()).containsEntry("gmail", 2).containsEntry("microsoft", 3)
        .containsEntry("yahoo", 0).containsEntry("apple", 0).containsEntry("other", 1);

    assertThat(put("sendgrid", new JsonObject().put("outcomes_by_domain", new JsonObject())).statusCode())
        .isEqualTo(200);
    assertThat(get("/sandbox/providers/sendgrid").bodyAsJsonObject().getJsonObject("outcomes_by_domain")).isEmpty();
    sandbox.reset();
    assertThat(stats(ProviderName.SENDGRID).messages(DomainGroup.MICROSOFT)).isZero();
  }

  @Test
  @DisplayName("a bad outcomes_by_domain is refused 400 naming the entry and changes nothing")
  void badOutcomesByDomain() {
    put("sendgrid", new JsonObject().put("outcomes_by_domain", new JsonObject()
        .put("gmail", new JsonObject().put("opened", 0.5))));
    JsonObject before = get("/sandbox/providers/sendgrid").bodyAsJsonObject();
    HttpResponse<Buffer> r = put("sendgrid", new JsonObject().put("error_rate", 0.5).put("outcomes_by_domain",
        new JsonObject().put("microsoft", new JsonObject().put("blocked", 1.5))));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getMap()).containsEntry("code", "invalid_profile")
        .containsEntry("field", "outcomes_by_domain.microsoft.blocked");
    HttpResponse<Buffer> group = put("sendgrid", new JsonObject().put("outcomes_by_domain",
        new JsonObject().put("hotmail", new JsonObject().put("blocked", 0.2))));
    assertThat(group.statusCode()).isEqualTo(400);
    assertThat(group.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("microsoft")
        .contains("outlook.com");
    assertThat(get("/sandbox/providers/sendgrid").bodyAsJsonObject()).isEqualTo(before);
  }
}
