package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.ingress.templates.SyncResult;
import dev.esprouter.ingress.templates.Templates;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("WhatsApp templates with Meta: submitted for review, kept in line by status updates and the sync")
class TemplateMetaTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();
  static final String KEY = IngressHarness.BOOTSTRAP_KEY;
  static final String WABA = "/meta/v21.0/102290129340398/message_templates";
  static SandboxServer sandbox;
  static IngressHarness h;
  static Templates templates;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(7)
        .withWebhookBase("http://127.0.0.1:9/webhooks"));
    // Meta's webhooks lost: only the records this test writes to webhooks.meta and the sync tell ingress.
    sandbox.configure(ProviderName.META, new JsonObject().put("webhooks", false)
        .put("latency_ms", new JsonObject().put("p50", 0).put("p99", 0)));
    h = IngressHarness.start(env, Map.of("META_BASE_URL", sandbox.baseUrl(ProviderName.META),
        "ESP_TEMPLATES_SYNC_MS", "3600000", "ESP_TEMPLATES_CACHE_MS", "0"));
    templates = h.roles.runtime().context().services().find(Templates.class).orElseThrow();
  }

  @AfterAll
  static void stop() {
    h.close();
    sandbox.close();
  }

  @BeforeEach
  void review() {
    sandboxCall(HttpMethod.PUT, "/sandbox/providers/meta", new JsonObject().put("template_review",
        new JsonObject().put("delay_ms", 3_600_000).put("outcome", "approved")).put("down", false));
  }

  static HttpResponse<Buffer> sandboxCall(HttpMethod method, String path, JsonObject body) {
    var req = h.http.requestAbs(method, sandbox.baseUrl() + path).putHeader("Authorization", "Bearer EAAtest");
    try {
      return (body == null ? req.send() : req.putHeader("content-type", "application/json")
          .sendBuffer(body.toBuffer())).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject atSandbox(String metaId) {
    for (Object o : sandboxCall(HttpMethod.GET, "/sandbox/providers/meta/templates", null).bodyAsJsonObject()
        .getJsonArray("templates")) {
      if (((JsonObject) o).getString("id").equals(metaId)) {
        return (JsonObject) o;
      }
    }
    return null;
  }

  static String created(JsonObject body) {
    HttpResponse<Buffer> r = h.post("/v1/templates", KEY, body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  static JsonObject submitted(String id) {
    HttpResponse<Buffer> r = h.post("/v1/templates/" + id + "/submit", KEY, new JsonObject());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  static JsonObject template(String id) {
    return h.get("/v1/templates/" + id, KEY).bodyAsJsonObject();
  }

  static JsonObject await(String id, Predicate<JsonObject> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonObject t = template(id);
    while (!done.test(t) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      t = template(id);
    }
    assertThat(done.test(t)).as("template now: %s", t.encode()).isTrue();
    return t;
  }

  static SyncResult sync() {
    try {
      return templates.syncNow().await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the webhooks role writes for one of Meta's template status webhooks. */
  static void webhook(JsonObject value) {
    JsonObject body = new JsonObject().put("entry", new JsonArray().add(new JsonObject().put("id", "102290129340398")
            .put("time", 1751247548).put("changes", new JsonArray().add(new JsonObject().put("value", value)
                .put("field", "message_template_status_update")))))
        .put("object", "whatsapp_business_account");
    JsonObject statuses = new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray()
        .add(new JsonObject().put("id", "102290129340398").put("changes", new JsonArray().add(new JsonObject()
            .put("field", "messages").put("value", new JsonObject().put("statuses", new JsonArray()))))));
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("bootstrap.servers", env.bootstrapServers());
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(cfg, new StringSerializer(), new ByteArraySerializer())) {
      String topic = h.roles.config().kafka().topicPrefix() + "webhooks.meta";
      p.send(new ProducerRecord<>(topic, "meta", statuses.toBuffer().getBytes()));
      p.send(new ProducerRecord<>(topic, "meta", body.toBuffer().getBytes()));
      p.flush();
    }
  }

  @Test
  @DisplayName("submit sends the template to Meta's API in Meta's form (in_review); the review's outcome is lost "
      + "with its webhook, and the sync catches it")
  void submitAndLostWebhook() {
    String id = created(TemplateFixtures.whatsapp("order_shipped", "pt-BR"));
    sandboxCall(HttpMethod.PUT, "/sandbox/providers/meta", new JsonObject().put("template_review",
        new JsonObject().put("delay_ms", 50).put("outcome", "approved")));
    JsonObject t = submitted(id);
    assertThat(t.getString("status")).isEqualTo("in_review");
    String metaId = t.getString("meta_id");
    JsonObject atMeta = atSandbox(metaId);
    assertThat(atMeta.getString("language")).isEqualTo("pt_BR");
    assertThat(atMeta.getString("category")).isEqualTo("UTILITY");
    assertThat(atMeta.getJsonArray("components").getJsonObject(0).getString("type")).isEqualTo("HEADER");
    await(id, x -> atSandbox(metaId).getString("status").equals("APPROVED"));
    assertThat(template(id).getString("status")).as("no webhook reached ingress").isEqualTo("in_review");
    assertThat(sync().updated()).isGreaterThanOrEqualTo(1);
    assertThat(template(id).getString("status")).isEqualTo("approved");
    HttpResponse<Buffer> again = h.post("/v1/templates/" + id + "/submit", KEY, new JsonObject());
    assertThat(again.statusCode()).isEqualTo(409);
  }

  @Test
  @DisplayName("Meta's status webhooks (through webhooks.meta) move a template to approved, then paused with the "
      + "reason; message statuses on the same topic change nothing")
  void statusUpdatesFromKafka() {
    String id = created(TemplateFixtures.whatsappBody("promo_spring", "en_US", "Hi {{1}}, {{2}} is on sale."));
    String metaId = submitted(id).getString("meta_id");
    webhook(new JsonObject().put("event", "APPROVED").put("message_template_id", Long.parseLong(metaId))
        .put("message_template_name", "promo_spring").put("message_template_language", "en_US").put("reason", "NONE"));
    await(id, t -> "approved".equals(t.getString("status")));
    webhook(new JsonObject().put("event", "PAUSED").put("message_template_id", Long.parseLong(metaId))
        .put("message_template_name", "promo_spring").put("message_template_language", "en_US").put("reason", "NONE")
        .put("other_info", new JsonObject().put("title", "FIRST_PAUSE").put("description", "low quality")));
    JsonObject paused = await(id, t -> "paused".equals(t.getString("status")));
    assertThat(paused.getString("reason")).isEqualTo("FIRST_PAUSE: low quality");
    HttpResponse<Buffer> send = h.post("/v1/messages", KEY, new JsonObject().put("channel", "whatsapp")
        .put("to", "+14155550123").put("template", "promo_spring").put("locale", "en_US")
        .put("data", new JsonObject().put("1", "Ada").put("2", "Tea")));
    assertThat(send.statusCode()).isEqualTo(400);
    assertThat(send.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("paused by Meta");
  }

  @Test
  @DisplayName("a rejection says Meta's reason; Meta refusing a submission is a 409 and the template stays a "
      + "draft; Meta down is a 503")
  void rejectionsAndRefusals() {
    sandboxCall(HttpMethod.PUT, "/sandbox/providers/meta", new JsonObject().put("template_review",
        new JsonObject().put("delay_ms", 20).put("outcome", "rejected").put("reason", "INCORRECT_CATEGORY")));
    String id = created(TemplateFixtures.whatsappBody("rejected_one", "en", "Hi {{1}}, order {{2}} is here."));
    String metaId = submitted(id).getString("meta_id");
    await(id, x -> atSandbox(metaId).getString("status").equals("REJECTED"));
    sync();
    JsonObject t = template(id);
    assertThat(t.getString("status")).isEqualTo("rejected");
    assertThat(t.getString("reason")).isEqualTo("INCORRECT_CATEGORY");

    // The same name and language already at Meta (made in WhatsApp Manager, say): Meta refuses it.
    sandboxCall(HttpMethod.POST, WABA, new JsonObject().put("name", "taken").put("language", "en_US")
        .put("category", "UTILITY").put("components", new JsonArray().add(new JsonObject().put("type", "BODY")
            .put("text", "Hello there"))));
    String taken = created(TemplateFixtures.whatsappBody("taken", "en_US", "Hi {{1}}, order {{2}} is here."));
    HttpResponse<Buffer> refused = h.post("/v1/templates/" + taken + "/submit", KEY, new JsonObject());
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("meta_refused");
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("2388024");
    assertThat(template(taken).getString("status")).isEqualTo("draft");

    String down = created(TemplateFixtures.whatsappBody("meta_down", "en", "Hi {{1}}, order {{2}} is here."));
    sandbox.configure(ProviderName.META, new JsonObject().put("down", true));
    try {
      assertThat(h.post("/v1/templates/" + down + "/submit", KEY, new JsonObject()).statusCode()).isEqualTo(503);
    } finally {
      sandbox.configure(ProviderName.META, new JsonObject().put("down", false));
    }
    assertThat(template(down).getString("status")).isEqualTo("draft");
  }

  @Test
  @DisplayName("the sync imports templates that exist only at Meta into the import tenant, and disables those Meta "
      + "no longer has; DELETE removes a template at Meta too")
  void importDeleteAndVanished() {
    String metaId = sandboxCall(HttpMethod.POST, WABA, new JsonObject().put("name", "made_at_meta")
        .put("language", "es_MX").put("category", "MARKETING").put("components", new JsonArray()
            .add(new JsonObject().put("type", "BODY").put("text", "Hola {{1}}, mira esto.")
                .put("example", new JsonObject().put("body_text", new JsonArray().add(new JsonArray().add("Ana")))))))
        .bodyAsJsonObject().getString("id");
    sandboxCall(HttpMethod.POST, "/sandbox/providers/meta/templates/" + metaId + "/status",
        new JsonObject().put("event", "APPROVED"));
    assertThat(sync().imported()).isGreaterThanOrEqualTo(1);
    JsonObject imported = h.get("/v1/templates?name=made_at_meta", KEY).bodyAsJsonObject().getJsonArray("data")
        .getJsonObject(0);
    assertThat(imported.getString("status")).isEqualTo("approved");
    assertThat(imported.getString("language")).isEqualTo("es-MX");
    assertThat(imported.getString("category")).isEqualTo("marketing");
    assertThat(imported.getJsonArray("components").getJsonObject(0).getString("type")).isEqualTo("body");
    HttpResponse<Buffer> send = h.post("/v1/messages", KEY, new JsonObject().put("channel", "whatsapp")
        .put("to", "+14155550123").put("template", "made_at_meta").put("locale", "es_MX")
        .put("data", new JsonObject().put("1", "Ana")));
    assertThat(send.statusCode()).as(send.bodyAsString()).isEqualTo(202);
    assertThat(sync().imported()).as("imported once").isZero();

    sandboxCall(HttpMethod.DELETE, WABA + "?name=made_at_meta", null);
    sync();
    JsonObject vanished = template(imported.getString("id"));
    assertThat(vanished.getString("status")).isEqualTo("disabled");
    assertThat(vanished.getString("reason")).isEqualTo("deleted at Meta");

    String id = created(TemplateFixtures.whatsappBody("to_delete", "en", "Hi {{1}}, order {{2}} is here."));
    String submittedId = submitted(id).getString("meta_id");
    assertThat(atSandbox(submittedId)).isNotNull();
    assertThat(h.call(HttpMethod.DELETE, "/v1/templates/" + id, KEY, null, Map.of()).statusCode()).isEqualTo(204);
    assertThat(atSandbox(submittedId)).as("deleted at Meta").isNull();
  }
}
