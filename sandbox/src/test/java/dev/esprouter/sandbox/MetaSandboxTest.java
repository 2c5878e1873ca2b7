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

@DisplayName("WhatsApp Cloud API in the sandbox")
class MetaSandboxTest extends SandboxHarness {

  private static final String PATH = "/meta/v21.0/106540352242922/messages";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer EAAsandbox");

  static JsonObject template(String to, String routerId) {
    return new JsonObject().put("messaging_product", "whatsapp").put("to", to).put("type", "template")
        .put("template", new JsonObject().put("name", "order_update")
            .put("language", new JsonObject().put("code", "en_US"))
            .put("components", new JsonArray().add(new JsonObject().put("type", "body")
                .put("parameters", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Ada"))))))
        .put("biz_opaque_callback_data", routerId);
  }

  @Test
  @DisplayName("a template message is answered 200 with contacts and messages[0].id, a wamid")
  void accepts() {
    JsonObject r = post(PATH, AUTH, template("+16505550001", "msg_1")).bodyAsJsonObject();
    assertThat(r.getString("messaging_product")).isEqualTo("whatsapp");
    assertThat(r.getJsonArray("contacts").getJsonObject(0).getString("wa_id")).isEqualTo("16505550001");
    assertThat(r.getJsonArray("messages").getJsonObject(0).getString("id")).startsWith("wamid.");
    JsonObject text = new JsonObject().put("messaging_product", "whatsapp").put("to", "16505550002")
        .put("type", "text").put("text", new JsonObject().put("body", "Hello"));
    assertThat(post(PATH, AUTH, text).statusCode()).isEqualTo(200);
    assertThat(stats(ProviderName.META).messages()).isEqualTo(2);
  }

  @Test
  @DisplayName("a missing token is refused 401 with Graph error code 190")
  void badAuth() {
    HttpResponse<Buffer> r = post(PATH, Map.of(), template("16505550001", "m"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(190);
  }

  @Test
  @DisplayName("a missing messaging_product, recipient or template name is refused 400 with code 100")
  void malformed() {
    JsonObject noProduct = template("16505550001", "m");
    noProduct.remove("messaging_product");
    HttpResponse<Buffer> r = post(PATH, AUTH, noProduct);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(100);
    JsonObject noName = template("16505550001", "m");
    noName.getJsonObject("template").remove("name");
    assertThat(post(PATH, AUTH, noName).statusCode()).isEqualTo(400);
    assertThat(post(PATH, AUTH, Buffer.buffer("{")).statusCode()).isEqualTo(400);
    assertThat(post("/meta/v21.0/not-a-number/messages", AUTH, template("16505550001", "m")).statusCode())
        .isEqualTo(400);
    assertThat(stats(ProviderName.META).messages()).isZero();
  }

  @Test
  @DisplayName("status webhooks are signed with X-Hub-Signature-256 and carry the wamid and biz_opaque_callback_data")
  void webhooks() {
    outcomes(ProviderName.META, new JsonObject().put("delivered", 1.0).put("opened", 1.0));
    String wamid = post(PATH, AUTH, template("16505550009", "msg_9")).bodyAsJsonObject().getJsonArray("messages")
        .getJsonObject(0).getString("id");
    var posts = receiver.await("meta", l -> statuses(l).size() >= 3);
    for (var p : posts) {
      assertThat(p.headers().get("X-Hub-Signature-256"))
          .isEqualTo(SignatureChecks.metaSignature(SandboxSecrets.META_APP_SECRET, p.body().getBytes()))
          .isNotEqualTo(SignatureChecks.metaSignature("another-secret", p.body().getBytes()));
      JsonObject value = p.body().toJsonObject().getJsonArray("entry").getJsonObject(0).getJsonArray("changes")
          .getJsonObject(0).getJsonObject("value");
      assertThat(value.getJsonObject("metadata").getString("phone_number_id")).isEqualTo("106540352242922");
    }
    JsonArray statuses = statuses(posts);
    assertThat(statuses).extracting(o -> ((JsonObject) o).getString("status"))
        .containsExactlyInAnyOrder("sent", "delivered", "read");
    for (Object o : statuses) {
      assertThat(((JsonObject) o).getMap()).containsEntry("id", wamid).containsEntry("recipient_id", "16505550009")
          .containsEntry("biz_opaque_callback_data", "msg_9");
    }
  }

  @Test
  @DisplayName("an undeliverable number becomes a failed status with error 131026")
  void failed() {
    outcomes(ProviderName.META, new JsonObject().put("bounced", 1.0));
    post(PATH, AUTH, template("16505550010", "msg_10"));
    JsonArray statuses = statuses(receiver.await("meta", l -> statuses(l).size() >= 2));
    JsonObject failed = statuses.stream().map(o -> (JsonObject) o).filter(s -> s.getString("status").equals("failed"))
        .findFirst().orElseThrow();
    assertThat(failed.getJsonArray("errors").getJsonObject(0).getInteger("code")).isEqualTo(131026);
  }

  static JsonArray statuses(List<WebhookReceiver.Received> posts) {
    JsonArray all = new JsonArray();
    for (var p : posts) {
      for (Object entry : p.body().toJsonObject().getJsonArray("entry")) {
        for (Object change : ((JsonObject) entry).getJsonArray("changes")) {
          all.addAll(((JsonObject) change).getJsonObject("value").getJsonArray("statuses"));
        }
      }
    }
    return all;
  }
}
