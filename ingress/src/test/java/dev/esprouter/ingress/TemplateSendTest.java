package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.SendChunk;
import dev.esprouter.common.routing.ChunkGate;
import dev.esprouter.common.routing.ChunkGates;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Sends naming a template are checked at accept time, in the language the fallback finds")
class TemplateSendTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();
  static IngressHarness h;
  static final String KEY = IngressHarness.BOOTSTRAP_KEY;
  static String tenant;

  @BeforeAll
  static void start() {
    // Cache 0: every request checks the tenant's version, so the statuses set below are seen at once.
    h = IngressHarness.start(env, Map.of("ESP_TEMPLATES_SYNC_MS", "0", "ESP_TEMPLATES_CACHE_MS", "0"));
    tenant = env.database().count("select 1 from tenants where name = 'default'") == 1 ? tenantId() : null;
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static String tenantId() {
    try (var c = dev.esprouter.testkit.TestDatabase.connect(env.database().settings());
         var s = c.createStatement(); var r = s.executeQuery("select id from tenants where name = 'default'")) {
      r.next();
      return r.getString(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static String created(JsonObject body) {
    HttpResponse<Buffer> r = h.post("/v1/templates", KEY, body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  /** What Meta's review (or a status webhook) would do: the status set, the tenant's version bumped. */
  static void status(String id, String status, String reason) {
    env.database().sql("update templates set status = '" + status + "', reason = "
        + (reason == null ? "null" : "'" + reason + "'") + " where id = '" + id + "'");
    env.database().sql("insert into template_versions (tenant_id, version) select tenant_id, 1 from templates "
        + "where id = '" + id + "' on conflict (tenant_id) do update set version = template_versions.version + 1");
  }

  static JsonObject whatsapp(String template, String locale, JsonObject data) {
    JsonObject m = new JsonObject().put("channel", "whatsapp").put("to", "+14155550123").put("template", template)
        .put("data", data);
    return locale == null ? m : m.put("locale", locale);
  }

  static HttpResponse<Buffer> send(JsonObject body) {
    return h.post("/v1/messages", KEY, body);
  }

  static JsonObject error(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    return r.bodyAsJsonObject().getJsonObject("error");
  }

  static String language(HttpResponse<Buffer> accepted) {
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
    return h.get("/v1/messages/" + accepted.bodyAsJsonObject().getString("id"), KEY).bodyAsJsonObject()
        .getString("language");
  }

  static SendChunk chunkOf(String messageOrBatchId) {
    return h.sendRecords("read_committed", 1200).stream()
        .map(rec -> SendChunk.fromBuffer(Buffer.buffer(rec.value())))
        .filter(c -> messageOrBatchId.equals(c.batchId()) || c.recipients().get(0).messageId().equals(messageOrBatchId))
        .findFirst().orElseThrow();
  }

  @Test
  @DisplayName("an approved WhatsApp template is accepted with its parameters; not approved, wrong parameter "
      + "counts and unknown templates (when the tenant refuses them) are 400 and nothing is queued")
  void whatsappChecks() {
    String id = created(TemplateFixtures.whatsapp("shipped", "en_US"));
    JsonObject e = error(send(whatsapp("shipped", "en_US", TemplateFixtures.whatsappData())));
    assertThat(e.getString("code")).isEqualTo("template_not_approved");
    assertThat(e.getString("message")).contains("a draft");
    status(id, "rejected", "INVALID_FORMAT");
    assertThat(error(send(whatsapp("shipped", "en_US", TemplateFixtures.whatsappData()))).getString("message"))
        .contains("rejected by Meta (INVALID_FORMAT)");
    status(id, "approved", null);

    HttpResponse<Buffer> ok = send(whatsapp("shipped", "en_US", TemplateFixtures.whatsappData()));
    assertThat(language(ok)).isEqualTo("en-US");
    SendChunk chunk = chunkOf(ok.bodyAsJsonObject().getString("id"));
    assertThat(chunk.content().template()).isEqualTo("shipped");
    assertThat(chunk.content().locale()).isEqualTo("en-US");

    JsonObject few = TemplateFixtures.whatsappData();
    few.remove("2");
    e = error(send(whatsapp("shipped", "en_US", few)));
    assertThat(e.getString("code")).isEqualTo("template_parameters");
    assertThat(e.getString("message")).contains("missing: 2");
    JsonObject many = TemplateFixtures.whatsappData().put("3", "extra");
    assertThat(error(send(whatsapp("shipped", "en_US", many))).getString("message"))
        .contains("'3' is not a parameter");
    assertThat(error(send(whatsapp("shipped", "en_US", TemplateFixtures.whatsappData().put("1", " "))))
        .getString("code")).isEqualTo("template_parameters");

    HttpResponse<Buffer> passThrough = send(whatsapp("only_at_meta", "pt_BR", new JsonObject().put("1", "x")));
    assertThat(language(passThrough)).as("unregistered: sent as named (default: allow)").isEqualTo("pt-BR");
    h.admin(HttpMethod.PATCH, "/admin/tenants/" + tenant, new JsonObject().put("whatsapp_unregistered_templates",
        "refuse"));
    try {
      assertThat(error(send(whatsapp("only_at_meta", "pt_BR", new JsonObject()))).getString("code"))
          .isEqualTo("unknown_template");
    } finally {
      h.admin(HttpMethod.PATCH, "/admin/tenants/" + tenant, new JsonObject().put("whatsapp_unregistered_templates",
          "allow"));
    }
  }

  @Test
  @DisplayName("en_US, pt_BR and pt-BR are all accepted; pt-BR falls back to pt, then the tenant's default "
      + "language, then the template's first language; the language used is on the message")
  void languageFallback() {
    String en = created(TemplateFixtures.whatsappBody("fallback", "en_US", "Hi {{1}}, order {{2}} ok."));
    String pt = created(TemplateFixtures.whatsappBody("fallback", "pt", "Olá {{1}}, pedido {{2}} ok."));
    String es = created(TemplateFixtures.whatsappBody("fallback", "es", "Hola {{1}}, pedido {{2}} ok."));
    for (String id : new String[] {en, pt, es}) {
      status(id, "approved", null);
    }
    JsonObject data = new JsonObject().put("1", "Ada").put("2", "A-17");
    assertThat(language(send(whatsapp("fallback", "en_US", data)))).isEqualTo("en-US");
    assertThat(language(send(whatsapp("fallback", "pt_BR", data)))).isEqualTo("pt");
    assertThat(language(send(whatsapp("fallback", "pt-BR", data)))).isEqualTo("pt");
    assertThat(language(send(whatsapp("fallback", "de", data)))).as("no default: the first language").isEqualTo("en-US");
    assertThat(language(send(whatsapp("fallback", null, data)))).isEqualTo("en-US");
    h.admin(HttpMethod.PATCH, "/admin/tenants/" + tenant, new JsonObject().put("default_language", "es_MX"));
    try {
      assertThat(language(send(whatsapp("fallback", "de", data)))).as("es-MX → es").isEqualTo("es");
      assertThat(language(send(whatsapp("fallback", "pt-BR", data)))).as("the request first").isEqualTo("pt");
    } finally {
      h.admin(HttpMethod.PATCH, "/admin/tenants/" + tenant, new JsonObject().put("default_language", null));
    }
    assertThat(error(send(whatsapp("fallback", "xx_YY", data))).getString("field")).isEqualTo("locale");
  }

  @Test
  @DisplayName("a Telegram template in pt serves pt-BR: its text, parse mode and language go on the chunk; a missing "
      + "placeholder uses the template's default, or is a 400 without one")
  void telegram() {
    created(TemplateFixtures.telegram("tg_hello", "pt", "<b>Olá {{name}}</b>, código {{code}}", "HTML")
        .put("defaults", new JsonObject().put("name", "cliente")));
    HttpResponse<Buffer> r = send(new JsonObject().put("channel", "telegram").put("to", "4242").put("template", "tg_hello")
        .put("locale", "pt-BR").put("data", new JsonObject().put("code", "7")));
    assertThat(language(r)).isEqualTo("pt");
    SendChunk chunk = chunkOf(r.bodyAsJsonObject().getString("id"));
    assertThat(chunk.content().text()).isEqualTo("<b>Olá {{name}}</b>, código {{code}}");
    assertThat(chunk.content().parseMode()).isEqualTo("HTML");
    assertThat(chunk.recipients().get(0).data().getString("name")).as("the default filled in").isEqualTo("cliente");
    JsonObject e = error(send(new JsonObject().put("channel", "telegram").put("to", "4242").put("template", "tg_hello")
        .put("data", new JsonObject().put("name", "Ana"))));
    assertThat(e.getString("code")).isEqualTo("template_parameters");
    assertThat(e.getString("field")).isEqualTo("data");
    assertThat(error(send(new JsonObject().put("channel", "telegram").put("to", "4242").put("template", "tg_hello")
        .put("text", "inline too").put("data", new JsonObject().put("code", "1")))).getString("field")).isEqualTo("text");
  }

  @Test
  @DisplayName("an email registry template goes as its rendered parts (one render, placeholders for the providers) "
      + "and wins over no folder template")
  void email() {
    created(TemplateFixtures.email("welcome_mail", "en"));
    HttpResponse<Buffer> r = send(new JsonObject().put("channel", "email").put("to", "a@example.com")
        .put("from", "Shop <noreply@shop.example>").put("template", "welcome_mail").put("locale", "en-GB")
        .put("data", new JsonObject().put("name", "Ada").put("order_id", "A-17")));
    assertThat(language(r)).isEqualTo("en");
    SendChunk chunk = chunkOf(r.bodyAsJsonObject().getString("id"));
    assertThat(chunk.content().subject()).isEqualTo("Order {{order_id}}");
    assertThat(chunk.content().html()).isEqualTo("<p>Hi {{name}} &amp; welcome</p>");
    assertThat(chunk.content().text()).isEqualTo("Hi {{name}}");
    assertThat(error(send(new JsonObject().put("channel", "email").put("to", "a@example.com")
        .put("from", "Shop <noreply@shop.example>").put("template", "welcome_mail")
        .put("data", new JsonObject().put("name", "Ada")))).getString("message")).contains("missing: order_id");
  }

  @Test
  @DisplayName("in a batch, recipients whose data does not fit the template are refused one by one; when none fits, "
      + "400 and nothing is queued")
  void batch() {
    String id = created(TemplateFixtures.whatsappBody("batch_tpl", "pt_BR", "Oi {{1}}, pedido {{2}} ok."));
    status(id, "approved", null);
    JsonArray recipients = new JsonArray()
        .add(new JsonObject().put("to", "+14155550101").put("data", new JsonObject().put("1", "A").put("2", "1")))
        .add(new JsonObject().put("to", "+14155550102").put("data", new JsonObject().put("1", "B")))
        .add(new JsonObject().put("to", "+14155550103").put("data", new JsonObject().put("1", "C").put("2", "3")));
    HttpResponse<Buffer> r = h.post("/v1/batches", KEY, new JsonObject().put("channel", "whatsapp")
        .put("template", "batch_tpl").put("locale", "pt_BR").put("recipients", recipients));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    assertThat(r.bodyAsJsonObject().getInteger("accepted")).isEqualTo(2);
    JsonObject rejected = r.bodyAsJsonObject().getJsonArray("rejected").getJsonObject(0);
    assertThat(rejected.getInteger("index")).isEqualTo(1);
    assertThat(rejected.getString("code")).isEqualTo("template_parameters");
    JsonArray bad = new JsonArray().add(new JsonObject().put("to", "+14155550104"));
    HttpResponse<Buffer> none = h.post("/v1/batches", KEY, new JsonObject().put("channel", "whatsapp")
        .put("template", "batch_tpl").put("recipients", bad));
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.bodyAsJsonObject().getJsonArray("rejected")).hasSize(1);
  }

  @Test
  @DisplayName("a batch queued with an approved template: its chunks pass the template gate; once Meta pauses the "
      + "template the gate fails them with the reason (what the router does with the rest of a campaign)")
  void gateOnQueuedChunks() throws Exception {
    String id = created(TemplateFixtures.whatsappBody("gated", "pt_BR", "Oi {{1}}, pedido {{2}} ok."));
    status(id, "approved", null);
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < 3; i++) {
      recipients.add(new JsonObject().put("to", "+1415555020" + i).put("data", new JsonObject().put("1", "A")
          .put("2", Integer.toString(i))));
    }
    HttpResponse<Buffer> r = h.post("/v1/batches", KEY, new JsonObject().put("channel", "whatsapp")
        .put("template", "gated").put("locale", "pt-BR").put("recipients", recipients));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    SendChunk chunk = chunkOf(r.bodyAsJsonObject().getString("batch_id"));
    ChunkGates gates = h.roles.runtime().context().services().find(ChunkGates.class).orElseThrow();
    assertThat(gates.check(chunk).await(10, TimeUnit.SECONDS).kind()).isEqualTo(ChunkGate.Decision.Kind.PROCEED);

    status(id, "paused", "FIRST_PAUSE: low quality");
    ChunkGate.Decision d = gates.check(chunk).await(10, TimeUnit.SECONDS);
    assertThat(d.kind()).isEqualTo(ChunkGate.Decision.Kind.FAIL);
    assertThat(d.reason()).isEqualTo("template paused by Meta: gated (pt-BR): FIRST_PAUSE: low quality");
    assertThat(error(h.post("/v1/batches", KEY, new JsonObject().put("channel", "whatsapp").put("template", "gated")
        .put("locale", "pt-BR").put("recipients", recipients))).getString("code")).isEqualTo("template_not_approved");

    SendChunk inline = new SendChunk(null, chunk.tenantId(), 0, 1, chunk.channel(), chunk.priority(), null, null, null,
        0, new dev.esprouter.common.Content(null, null, null, null, "hi", null, null), List.of(chunk.recipients().get(0)),
        chunk.acceptedAt(), null);
    assertThat(gates.check(inline).await(10, TimeUnit.SECONDS).kind()).as("text messages are not gated")
        .isEqualTo(ChunkGate.Decision.Kind.PROCEED);
  }
}
