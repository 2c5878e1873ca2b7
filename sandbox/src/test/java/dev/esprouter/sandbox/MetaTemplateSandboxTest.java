package dev.esprouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.SandboxSecrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Meta's template management API in the sandbox")
class MetaTemplateSandboxTest extends SandboxHarness {

  private static final String WABA = "/meta/v21.0/102290129340398/message_templates";
  private static final String SEND = "/meta/v21.0/106540352242922/messages";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer EAAsandbox");

  static JsonObject orderUpdate(String name, String language) {
    return new JsonObject().put("name", name).put("language", language).put("category", "UTILITY")
        .put("components", new JsonArray()
            .add(new JsonObject().put("type", "HEADER").put("format", "TEXT").put("text", "Order {{1}}")
                .put("example", new JsonObject().put("header_text", new JsonArray().add("A-17"))))
            .add(new JsonObject().put("type", "BODY").put("text", "Hi {{1}}, your order {{2}} has shipped.")
                .put("example", new JsonObject().put("body_text", new JsonArray().add(new JsonArray().add("Ada")
                    .add("A-17")))))
            .add(new JsonObject().put("type", "FOOTER").put("text", "Reply STOP to opt out"))
            .add(new JsonObject().put("type", "BUTTONS").put("buttons", new JsonArray()
                .add(new JsonObject().put("type", "URL").put("text", "Track").put("url", "https://t.example/{{1}}")
                    .put("example", new JsonArray().add("https://t.example/A-17"))))));
  }

  static JsonObject send(String name, String code, JsonArray components) {
    JsonObject t = new JsonObject().put("name", name).put("language", new JsonObject().put("code", code));
    if (components != null) {
      t.put("components", components);
    }
    return new JsonObject().put("messaging_product", "whatsapp").put("to", "16505550001").put("type", "template")
        .put("template", t).put("biz_opaque_callback_data", "msg_t");
  }

  static JsonArray fullParams(String... body) {
    JsonArray params = new JsonArray();
    for (String b : body) {
      params.add(new JsonObject().put("type", "text").put("text", b));
    }
    return new JsonArray()
        .add(new JsonObject().put("type", "header").put("parameters", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "A-17"))))
        .add(new JsonObject().put("type", "body").put("parameters", params))
        .add(new JsonObject().put("type", "button").put("sub_type", "url").put("index", "0")
            .put("parameters", new JsonArray().add(new JsonObject().put("type", "text").put("text", "A-17"))));
  }

  private static void review(JsonObject settings) {
    HttpResponse<Buffer> r = request(HttpMethod.PUT, "/sandbox/providers/meta", Map.of("content-type",
        "application/json"), new JsonObject().put("template_review", settings).toBuffer());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  private static JsonObject record(String id) {
    for (Object o : get("/sandbox/providers/meta/templates").bodyAsJsonObject().getJsonArray("templates")) {
      if (((JsonObject) o).getString("id").equals(id)) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no template " + id);
  }

  @Test
  @DisplayName("a created template is PENDING, then approved after the review delay with a signed "
      + "message_template_status_update webhook")
  void createReviewWebhook() {
    review(new JsonObject().put("delay_ms", 50).put("outcome", "approved"));
    HttpResponse<Buffer> r = post(WABA, AUTH, orderUpdate("order_update", "pt_BR"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject created = r.bodyAsJsonObject();
    assertThat(created.getString("status")).isEqualTo("PENDING");
    assertThat(created.getString("category")).isEqualTo("UTILITY");
    String id = created.getString("id");

    WebhookReceiver.Received post = receiver.await("meta", p -> !p.isEmpty()).get(0);
    assertThat(post.headers().get("X-Hub-Signature-256"))
        .isEqualTo(SignatureChecks.metaSignature(SandboxSecrets.META_APP_SECRET, post.body().getBytes()));
    JsonObject change = post.body().toJsonObject().getJsonArray("entry").getJsonObject(0).getJsonArray("changes")
        .getJsonObject(0);
    assertThat(change.getString("field")).isEqualTo("message_template_status_update");
    JsonObject value = change.getJsonObject("value");
    assertThat(value.getString("event")).isEqualTo("APPROVED");
    assertThat(String.valueOf(value.getValue("message_template_id"))).isEqualTo(id);
    assertThat(value.getString("message_template_name")).isEqualTo("order_update");
    assertThat(value.getString("message_template_language")).isEqualTo("pt_BR");

    JsonArray listed = request(HttpMethod.GET, WABA + "?name=order_update", AUTH, null).bodyAsJsonObject()
        .getJsonArray("data");
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("status")).isEqualTo("APPROVED");
    assertThat(listed.getJsonObject(0).getString("language")).isEqualTo("pt_BR");
  }

  @Test
  @DisplayName("a rejecting review says why; an invalid template is refused the way Meta refuses it")
  void rejectAndInvalid() {
    review(new JsonObject().put("delay_ms", 10).put("outcome", "rejected").put("reason", "INVALID_FORMAT"));
    String id = post(WABA, AUTH, orderUpdate("promo", "en_US")).bodyAsJsonObject().getString("id");
    JsonObject value = receiver.await("meta", p -> !p.isEmpty()).get(0).body().toJsonObject().getJsonArray("entry")
        .getJsonObject(0).getJsonArray("changes").getJsonObject(0).getJsonObject("value");
    assertThat(value.getString("event")).isEqualTo("REJECTED");
    assertThat(value.getString("reason")).isEqualTo("INVALID_FORMAT");
    assertThat(record(id).getString("status")).isEqualTo("REJECTED");

    JsonObject longBody = orderUpdate("too_long", "en_US");
    longBody.getJsonArray("components").getJsonObject(1).put("text", "x".repeat(1025));
    JsonObject e = post(WABA, AUTH, longBody).bodyAsJsonObject().getJsonObject("error");
    assertThat(e.getInteger("code")).isEqualTo(100);
    assertThat(e.getInteger("error_subcode")).isEqualTo(2388040);

    JsonObject gap = orderUpdate("gap", "en_US");
    gap.getJsonArray("components").getJsonObject(1).put("text", "Hi {{1}} and {{3}}");
    assertThat(post(WABA, AUTH, gap).statusCode()).isEqualTo(400);
    assertThat(post(WABA, AUTH, orderUpdate("Bad-Name", "en_US")).statusCode()).isEqualTo(400);
    assertThat(post(WABA, AUTH, orderUpdate("promo", "en_US")).bodyAsJsonObject().getJsonObject("error")
        .getInteger("error_subcode")).as("same name and language again").isEqualTo(2388024);
    assertThat(post(WABA, Map.of(), orderUpdate("x", "en_US")).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("sends are refused like Meta: 132001 for a missing translation or an unapproved template, 132000 "
      + "for a wrong parameter count, 132015 when paused; a right send is recorded")
  void sendChecks() {
    review(new JsonObject().put("delay_ms", 3_600_000));
    String pending = post(WABA, AUTH, orderUpdate("shipping", "en_US")).bodyAsJsonObject().getString("id");
    JsonObject e = post(SEND, AUTH, send("shipping", "en_US", fullParams("Ada", "A-17"))).bodyAsJsonObject()
        .getJsonObject("error");
    assertThat(e.getInteger("code")).as("pending: not sendable").isEqualTo(132001);

    request(HttpMethod.POST, "/sandbox/providers/meta/templates/" + pending + "/status",
        Map.of("content-type", "application/json"), new JsonObject().put("event", "APPROVED").toBuffer());
    assertThat(post(SEND, AUTH, send("shipping", "pt_BR", fullParams("Ada", "A-17"))).bodyAsJsonObject()
        .getJsonObject("error").getInteger("code")).as("no pt_BR translation").isEqualTo(132001);
    assertThat(post(SEND, AUTH, send("shipping", "en-US", fullParams("Ada", "A-17"))).bodyAsJsonObject()
        .getJsonObject("error").getInteger("code")).as("Meta's code is en_US, not en-US").isEqualTo(132001);
    JsonObject mismatch = post(SEND, AUTH, send("shipping", "en_US", fullParams("Ada"))).bodyAsJsonObject()
        .getJsonObject("error");
    assertThat(mismatch.getInteger("code")).isEqualTo(132000);
    assertThat(mismatch.getJsonObject("error_data").getString("details"))
        .isEqualTo("body: number of localizable_params (1) does not match the expected number of params (2)");

    HttpResponse<Buffer> ok = post(SEND, AUTH, send("shipping", "en_US", fullParams("Ada", "A-17")));
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
    JsonObject rec = record(pending);
    assertThat(rec.getLong("sends")).isEqualTo(1);
    assertThat(rec.getJsonObject("last_send").getJsonObject("language").getString("code")).isEqualTo("en_US");

    request(HttpMethod.POST, "/sandbox/providers/meta/templates/" + pending + "/status",
        Map.of("content-type", "application/json"), new JsonObject().put("event", "PAUSED").toBuffer());
    assertThat(post(SEND, AUTH, send("shipping", "en_US", fullParams("Ada", "A-17"))).bodyAsJsonObject()
        .getJsonObject("error").getInteger("code")).isEqualTo(132015);
    List<WebhookReceiver.Received> posts = receiver.await("meta", p -> p.stream()
        .filter(x -> x.body().toString().contains("\"PAUSED\"")).count() == 1);
    assertThat(posts.stream().filter(x -> x.body().toString().contains("\"PAUSED\"")).findFirst().orElseThrow()
        .body().toString()).contains("message_template_status_update").contains("FIRST_PAUSE");

    assertThat(post(SEND, AUTH, send("never_registered", "en_US", null)).statusCode())
        .as("a name the sandbox was never told about is accepted").isEqualTo(200);
    review(new JsonObject().put("unknown_templates", "refuse"));
    assertThat(post(SEND, AUTH, send("never_registered", "en_US", null)).bodyAsJsonObject().getJsonObject("error")
        .getInteger("code")).isEqualTo(132001);
    assertThat(stats(ProviderName.META).messages()).isEqualTo(2);
  }

  @Test
  @DisplayName("templates are listed in pages and deleted by name and id; a bad review setting changes nothing")
  void listDeleteAndSettings() {
    review(new JsonObject().put("delay_ms", 3_600_000));
    String en = post(WABA, AUTH, orderUpdate("welcome", "en_US")).bodyAsJsonObject().getString("id");
    post(WABA, AUTH, orderUpdate("welcome", "pt_BR"));
    post(WABA, AUTH, orderUpdate("other", "en"));
    JsonObject page = request(HttpMethod.GET, WABA + "?limit=2", AUTH, null).bodyAsJsonObject();
    assertThat(page.getJsonArray("data")).hasSize(2);
    String after = page.getJsonObject("paging").getJsonObject("cursors").getString("after");
    assertThat(page.getJsonObject("paging").getString("next")).isNotNull();
    JsonObject rest = request(HttpMethod.GET, WABA + "?limit=2&after=" + after, AUTH, null).bodyAsJsonObject();
    assertThat(rest.getJsonArray("data")).hasSize(1);
    assertThat(rest.getJsonObject("paging").getString("next")).isNull();

    assertThat(request(HttpMethod.DELETE, WABA + "?name=welcome&hsm_id=" + en, AUTH, null).bodyAsJsonObject()
        .getBoolean("success")).isTrue();
    assertThat(request(HttpMethod.GET, WABA + "?name=welcome", AUTH, null).bodyAsJsonObject().getJsonArray("data"))
        .hasSize(1);
    assertThat(request(HttpMethod.DELETE, WABA + "?name=welcome&hsm_id=" + en, AUTH, null).statusCode())
        .isEqualTo(400);

    HttpResponse<Buffer> bad = request(HttpMethod.PUT, "/sandbox/providers/meta", Map.of("content-type",
        "application/json"), new JsonObject().put("error_rate", 0.5)
        .put("template_review", new JsonObject().put("outcome", "maybe")).toBuffer());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("template_review.outcome");
    JsonObject profile = get("/sandbox/providers/meta").bodyAsJsonObject();
    assertThat(profile.getDouble("error_rate")).isZero();
    assertThat(profile.getJsonObject("template_review").getLong("delay_ms")).isEqualTo(3_600_000L);
  }
}
