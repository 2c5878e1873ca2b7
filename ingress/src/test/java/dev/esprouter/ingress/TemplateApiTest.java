package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The template registry API: templates stored per tenant, checked the way their channel checks them")
class TemplateApiTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();
  static IngressHarness h;
  static final String KEY = IngressHarness.BOOTSTRAP_KEY;

  @BeforeAll
  static void start() {
    h = IngressHarness.start(env, Map.of("ESP_TEMPLATES_SYNC_MS", "0"));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static HttpResponse<Buffer> create(String key, JsonObject body) {
    return h.post("/v1/templates", key, body);
  }

  static String created(String key, JsonObject body) {
    HttpResponse<Buffer> r = create(key, body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  static int count(String key) {
    return h.get("/v1/templates?limit=1000", key).bodyAsJsonObject().getJsonArray("data").size();
  }

  /** The change is refused with this status, code and field, and nothing is stored. */
  static void refused(JsonObject body, int status, String code, String field) {
    int before = count(KEY);
    HttpResponse<Buffer> r = create(KEY, body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    JsonObject e = r.bodyAsJsonObject().getJsonObject("error");
    assertThat(e.getString("code")).as(r.bodyAsString()).isEqualTo(code);
    assertThat(e.getString("field")).as(r.bodyAsString()).isEqualTo(field);
    assertThat(count(KEY)).as("nothing stored").isEqualTo(before);
  }

  static JsonObject change(JsonObject base, Consumer<JsonObject> edit) {
    JsonObject copy = base.copy();
    edit.accept(copy);
    return copy;
  }

  static JsonObject component(JsonObject t, int i) {
    return t.getJsonArray("components").getJsonObject(i);
  }

  @Test
  @DisplayName("a WhatsApp template is stored as a draft with its components in Meta's form, its language canonical")
  void whatsappDraft() {
    HttpResponse<Buffer> r = create(KEY, TemplateFixtures.whatsapp("order_shipped", "pt_BR"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    JsonObject t = r.bodyAsJsonObject();
    assertThat(t.getString("id")).startsWith("tpl_");
    assertThat(t.getString("status")).isEqualTo("draft");
    assertThat(t.getString("language")).isEqualTo("pt-BR");
    assertThat(t.getString("category")).isEqualTo("utility");
    assertThat(t.getJsonArray("components")).hasSize(4);
    assertThat(h.get("/v1/templates/" + t.getString("id"), KEY).bodyAsJsonObject().getJsonArray("components"))
        .isEqualTo(t.getJsonArray("components"));
    refused(TemplateFixtures.whatsapp("order_shipped", "pt-BR"), 409, "template_exists", "name");
  }

  @Test
  @DisplayName("Meta's rules refuse a bad WhatsApp template with a clear 400 and store nothing")
  void whatsappRules() {
    JsonObject ok = TemplateFixtures.whatsapp("rules_check", "en_US");
    refused(change(ok, t -> t.put("name", "Order-Shipped")), 400, "invalid_field", "name");
    refused(change(ok, t -> t.put("name", "x".repeat(513))), 400, "invalid_field", "name");
    refused(change(ok, t -> t.put("language", "xx")), 400, "unknown_language", "language");
    refused(change(ok, t -> t.put("language", "english")), 400, "unknown_language", "language");
    refused(change(ok, t -> t.put("category", "promotional")), 400, "invalid_field", "category");
    refused(change(ok, t -> component(t, 1).put("text", "x".repeat(1025))), 400, "template_too_long",
        "components[1].text");
    refused(change(ok, t -> component(t, 1).put("text", "Hi {{1}}, order {{3}}.")), 400, "template_parameters",
        "components[1].text");
    refused(change(ok, t -> component(t, 1).put("text", "Hi {{name}}, order {{2}}.")), 400, "template_parameters",
        "components[1].text");
    refused(change(ok, t -> component(t, 1).put("text", "{{1}} and {{2}} are here")), 400, "template_parameters",
        "components[1].text");
    refused(change(ok, t -> component(t, 1).put("text", "Hi {{1}}{{2}} ok")), 400, "template_parameters",
        "components[1].text");
    refused(change(ok, t -> component(t, 1).remove("example")), 400, "template_parameters",
        "components[1].example.body_text");
    refused(change(ok, t -> component(t, 1).getJsonObject("example").put("body_text",
        new JsonArray().add(new JsonArray().add("Ada")))), 400, "template_parameters", "components[1].example.body_text");
    refused(change(ok, t -> component(t, 0).put("text", "Order {{1}} {{2}}")), 400, "template_parameters",
        "components[0].text");
    refused(change(ok, t -> component(t, 0).put("text", "x".repeat(61))), 400, "template_too_long",
        "components[0].text");
    refused(change(ok, t -> component(t, 2).put("text", "Ref {{1}}")), 400, "template_parameters",
        "components[2].text");
    refused(change(ok, t -> component(t, 3).getJsonArray("buttons").getJsonObject(0).put("text", "x".repeat(26))),
        400, "template_too_long", "components[3].buttons[0].text");
    refused(change(ok, t -> component(t, 3).getJsonArray("buttons").getJsonObject(0)
        .put("url", "https://t.example/{{1}}/x")), 400, "template_parameters", "components[3].buttons[0].url");
    refused(change(ok, t -> {
      JsonArray buttons = component(t, 3).getJsonArray("buttons");
      for (int i = 0; i < 2; i++) {
        buttons.add(new JsonObject().put("type", "url").put("text", "More").put("url", "https://t.example/more"));
      }
    }), 400, "invalid_field", "components[3].buttons");
    refused(change(ok, t -> {
      JsonArray buttons = new JsonArray();
      for (int i = 0; i < 11; i++) {
        buttons.add(new JsonObject().put("type", "quick_reply").put("text", "Q" + i));
      }
      component(t, 3).put("buttons", buttons);
    }), 400, "invalid_field", "components[3].buttons");
    refused(change(ok, t -> t.getJsonArray("components").remove(1)), 400, "missing_field", "components");
    refused(change(ok, t -> t.getJsonArray("components").add(new JsonObject().put("type", "body").put("text", "x"))),
        400, "invalid_field", "components[4].type");
    refused(change(ok, t -> t.put("text", "hello")), 400, "unknown_field", "text");
    assertThat(create(KEY, ok).statusCode()).as("the unchanged template is fine").isEqualTo(201);
  }

  @Test
  @DisplayName("Telegram templates: HTML and MarkdownV2 markup is checked, defaults must name placeholders")
  void telegram() {
    String id = created(KEY, TemplateFixtures.telegram("tg_welcome", "pt", "<b>Olá {{name}}</b>", "HTML")
        .put("defaults", new JsonObject().put("name", "amigo")));
    JsonObject t = h.get("/v1/templates/" + id, KEY).bodyAsJsonObject();
    assertThat(t.getString("status")).isEqualTo("active");
    assertThat(t.getString("parse_mode")).isEqualTo("HTML");
    assertThat(t.getJsonObject("defaults").getString("name")).isEqualTo("amigo");
    refused(TemplateFixtures.telegram("tg_bad", "pt", "<div>{{name}}</div>", "HTML"), 400, "invalid_field", "text");
    refused(TemplateFixtures.telegram("tg_bad", "pt", "Hi {{name}}!", "MarkdownV2"), 400, "invalid_field", "text");
    refused(TemplateFixtures.telegram("tg_bad", "pt", "Hi", "Markdown"), 400, "invalid_field", "parse_mode");
    refused(TemplateFixtures.telegram("tg_bad", "pt", "x".repeat(4097), null), 400, "template_too_long", "text");
    refused(TemplateFixtures.telegram("tg_bad", "pt", "Hi {{name}}", null)
        .put("defaults", new JsonObject().put("nmae", "x")), 400, "template_parameters", "defaults.nmae");
    refused(TemplateFixtures.telegram("tg_bad", "pt", "Hi {{na me}}", null), 400, "template_parameters", "text");
    assertThat(created(KEY, TemplateFixtures.telegram("tg_md", "en", "*Hi* {{name}}\\!", "MarkdownV2"))).isNotNull();
  }

  @Test
  @DisplayName("email templates are compiled at once: their params become placeholders; jte that does not compile "
      + "is refused with the compiler's first line")
  void email() {
    JsonObject t = create(KEY, TemplateFixtures.email("receipt", "en")).bodyAsJsonObject();
    assertThat(t.getString("status")).isEqualTo("active");
    assertThat(t.getJsonArray("params")).containsExactly("order_id", "name");
    JsonObject broken = change(TemplateFixtures.email("broken", "en"), b -> b.put("html", "@param String name\n"
        + "<p>${name</p>"));
    int before = count(KEY);
    HttpResponse<Buffer> r = create(KEY, broken);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    JsonObject e = r.bodyAsJsonObject().getJsonObject("error");
    assertThat(e.getString("code")).isEqualTo("template_compile");
    assertThat(e.getString("field")).isEqualTo("html");
    assertThat(e.getString("message")).startsWith("html: does not compile: ").doesNotContain("\n");
    assertThat(count(KEY)).isEqualTo(before);
    refused(change(TemplateFixtures.email("typed", "en"), b -> b.put("text", "@param int count\n${count}")), 400,
        "template_compile", "text");
    refused(change(TemplateFixtures.email("no_body", "en"), b -> { b.remove("html"); b.remove("text"); }), 400,
        "missing_field", "html");
    refused(change(TemplateFixtures.email("two_lines", "en"), b -> b.put("subject", "a\nb")), 400, "invalid_field",
        "subject");
  }

  @Test
  @DisplayName("PUT changes a Telegram template; an approved WhatsApp template cannot be edited (409: Meta wants a "
      + "new version); a WhatsApp draft can")
  void edits() {
    String tg = created(KEY, TemplateFixtures.telegram("tg_edit", "en", "Hi {{name}}", null));
    HttpResponse<Buffer> put = h.call(HttpMethod.PUT, "/v1/templates/" + tg, KEY,
        TemplateFixtures.telegram("tg_edit", "en", "Hello {{name}}", null).toBuffer(), Map.of());
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    assertThat(put.bodyAsJsonObject().getString("text")).isEqualTo("Hello {{name}}");
    HttpResponse<Buffer> rename = h.call(HttpMethod.PUT, "/v1/templates/" + tg, KEY,
        TemplateFixtures.telegram("tg_other", "en", "x", null).toBuffer(), Map.of());
    assertThat(rename.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("name");

    String draft = created(KEY, TemplateFixtures.whatsapp("wa_edit", "en"));
    JsonObject edited = TemplateFixtures.whatsappBody("wa_edit", "en", "New text {{1}} and {{2}} here.");
    assertThat(h.call(HttpMethod.PUT, "/v1/templates/" + draft, KEY, edited.toBuffer(), Map.of()).statusCode())
        .isEqualTo(200);
    env.database().sql("update templates set status = 'approved' where id = '" + draft + "'");
    HttpResponse<Buffer> locked = h.call(HttpMethod.PUT, "/v1/templates/" + draft, KEY, edited.toBuffer(), Map.of());
    assertThat(locked.statusCode()).isEqualTo(409);
    JsonObject e = locked.bodyAsJsonObject().getJsonObject("error");
    assertThat(e.getString("code")).isEqualTo("template_locked");
    assertThat(e.getString("message")).contains("Meta requires a new version");
    assertThat(h.call(HttpMethod.PUT, "/v1/templates/tpl_nope", KEY, edited.toBuffer(), Map.of()).statusCode())
        .isEqualTo(404);
  }

  @Test
  @DisplayName("render shows exactly what would be sent: Meta's template object, Telegram's escaped text, the "
      + "email's substituted parts; missing data is a 400")
  void render() {
    String wa = created(KEY, TemplateFixtures.whatsapp("preview_wa", "en_US"));
    JsonObject p = h.post("/v1/templates/" + wa + "/render", KEY, new JsonObject()
        .put("data", TemplateFixtures.whatsappData())).bodyAsJsonObject();
    JsonObject template = p.getJsonObject("message").getJsonObject("template");
    assertThat(template.getJsonObject("language").getString("code")).isEqualTo("en_US");
    assertThat(template.getJsonArray("components").encode()).isEqualTo("[{\"type\":\"header\",\"parameters\":[{\"type\""
        + ":\"text\",\"text\":\"A-17\"}]},{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ada\"},"
        + "{\"type\":\"text\",\"text\":\"A-17\"}]},{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\","
        + "\"parameters\":[{\"type\":\"text\",\"text\":\"A-17\"}]}]");
    assertThat(p.getJsonObject("text").getString("body")).isEqualTo("Hi Ada, your order A-17 has shipped.");
    assertThat(p.getJsonObject("text").getString("header")).isEqualTo("Order A-17");
    assertThat(p.getString("status")).isEqualTo("draft");
    HttpResponse<Buffer> missing = h.post("/v1/templates/" + wa + "/render", KEY, new JsonObject()
        .put("data", new JsonObject().put("1", "Ada")));
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("template_parameters");

    String tg = created(KEY, TemplateFixtures.telegram("preview_tg", "en", "*Hi* {{name}}\\!", "MarkdownV2"));
    JsonObject tp = h.post("/v1/templates/" + tg + "/render", KEY, new JsonObject()
        .put("data", new JsonObject().put("name", "A_B."))).bodyAsJsonObject();
    assertThat(tp.getJsonObject("message").encode())
        .isEqualTo("{\"text\":\"*Hi* A\\\\_B\\\\.\\\\!\",\"parse_mode\":\"MarkdownV2\"}");

    String mail = created(KEY, TemplateFixtures.email("preview_mail", "en"));
    JsonObject mp = h.post("/v1/templates/" + mail + "/render", KEY, new JsonObject()
        .put("data", new JsonObject().put("name", "<Ada>").put("order_id", "A-17"))).bodyAsJsonObject();
    assertThat(mp.getJsonObject("message").getString("subject")).isEqualTo("Order A-17");
    assertThat(mp.getJsonObject("message").getString("html")).isEqualTo("<p>Hi &lt;Ada&gt; &amp; welcome</p>");
    assertThat(mp.getJsonObject("message").getString("text")).isEqualTo("Hi <Ada>");
    assertThat(h.post("/v1/templates/" + mail + "/render", KEY, new JsonObject().put("langage", "en")).statusCode())
        .isEqualTo(400);
  }

  @Test
  @DisplayName("a tenant neither sees, renders, submits, edits nor deletes another tenant's templates, nor sends with them")
  void tenantIsolation() {
    String[] other = h.newTenant("other-team", null);
    String mine = created(KEY, TemplateFixtures.telegram("private_tg", "en", "Secret {{x}}", null));
    String key = other[1];
    assertThat(h.get("/v1/templates/" + mine, key).statusCode()).isEqualTo(404);
    assertThat(h.get("/v1/templates?name=private_tg", key).bodyAsJsonObject().getJsonArray("data")).isEmpty();
    assertThat(h.post("/v1/templates/" + mine + "/render", key, new JsonObject()).statusCode()).isEqualTo(404);
    assertThat(h.post("/v1/templates/" + mine + "/submit", key, new JsonObject()).statusCode()).isEqualTo(404);
    assertThat(h.call(HttpMethod.DELETE, "/v1/templates/" + mine, key, null, Map.of()).statusCode()).isEqualTo(404);
    HttpResponse<Buffer> send = h.post("/v1/messages", key, new JsonObject().put("channel", "telegram").put("to", "42")
        .put("template", "private_tg").put("data", new JsonObject().put("x", "1")));
    assertThat(send.statusCode()).isEqualTo(400);
    assertThat(send.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unknown_template");
    assertThat(created(key, TemplateFixtures.telegram("private_tg", "en", "Theirs {{x}}", null)))
        .as("the same name in another tenant is another template").isNotEqualTo(mine);
    assertThat(h.get("/v1/templates/" + mine, KEY).bodyAsJsonObject().getString("text")).isEqualTo("Secret {{x}}");
  }

  @Test
  @DisplayName("list filters by channel, status and name with cursor pages; a bad filter is a 400; delete is 204 "
      + "then 404; submitting a Telegram template is a 409")
  void listAndDelete() {
    String a = created(KEY, TemplateFixtures.telegram("list_a", "en", "A", null));
    created(KEY, TemplateFixtures.telegram("list_b", "en", "B", null));
    JsonObject page = h.get("/v1/templates?channel=telegram&status=active&limit=1", KEY).bodyAsJsonObject();
    assertThat(page.getJsonArray("data")).hasSize(1);
    assertThat(page.getBoolean("has_more")).isTrue();
    JsonObject next = h.get("/v1/templates?channel=telegram&status=active&limit=1000&after="
        + page.getString("next_after"), KEY).bodyAsJsonObject();
    assertThat(next.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("channel")))
        .containsOnly("telegram");
    assertThat(h.get("/v1/templates?status=pending", KEY).statusCode()).isEqualTo(400);
    assertThat(h.get("/v1/templates?channel=sms", KEY).statusCode()).isEqualTo(400);
    assertThat(h.get("/v1/templates?limit=0", KEY).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> submit = h.post("/v1/templates/" + a + "/submit", KEY, new JsonObject());
    assertThat(submit.statusCode()).isEqualTo(409);
    assertThat(submit.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("template_not_submittable");
    assertThat(h.call(HttpMethod.DELETE, "/v1/templates/" + a, KEY, null, Map.of()).statusCode()).isEqualTo(204);
    assertThat(h.get("/v1/templates/" + a, KEY).statusCode()).isEqualTo(404);
    assertThat(h.call(HttpMethod.DELETE, "/v1/templates/" + a, KEY, null, Map.of()).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("tenant settings: PATCH /admin/tenants/{id} sets default_language (any form, kept canonical) and "
      + "whatsapp_unregistered_templates; bad values are 400 and change nothing; the rate is kept")
  void tenantSettings() {
    String[] t = h.newTenant("settings-team", 77);
    HttpResponse<Buffer> r = h.admin(HttpMethod.PATCH, "/admin/tenants/" + t[0], new JsonObject()
        .put("default_language", "pt_BR").put("whatsapp_unregistered_templates", "refuse"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("default_language")).isEqualTo("pt-BR");
    assertThat(r.bodyAsJsonObject().getString("whatsapp_unregistered_templates")).isEqualTo("refuse");
    assertThat(r.bodyAsJsonObject().getInteger("rate_limit_per_sec")).isEqualTo(77);
    assertThat(h.admin(HttpMethod.PATCH, "/admin/tenants/" + t[0], new JsonObject()
        .put("default_language", "klingon")).bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("unknown_language");
    assertThat(h.admin(HttpMethod.PATCH, "/admin/tenants/" + t[0], new JsonObject()
        .put("whatsapp_unregistered_templates", "maybe")).statusCode()).isEqualTo(400);
    assertThat(h.admin(HttpMethod.PATCH, "/admin/tenants/" + t[0], new JsonObject()
        .put("whatsapp_unregistered_templates", null)).statusCode()).isEqualTo(400);
    JsonObject cleared = h.admin(HttpMethod.PATCH, "/admin/tenants/" + t[0], new JsonObject()
        .put("default_language", null)).bodyAsJsonObject();
    assertThat(cleared.getString("default_language")).isNull();
    assertThat(cleared.getString("whatsapp_unregistered_templates")).isEqualTo("refuse");
  }
}
