package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.ingress.IngressRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxRole;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.webhooks.WebhooksRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A WhatsApp template's whole life in one process: registered, submitted to the sandbox's Meta,
 * approved after the review delay, the signed {@code message_template_status_update} webhook through
 * the webhooks role and Kafka to the registry, then sends with it through the router reaching the
 * sandbox in Meta's template shape; a rejected template refused at accept time; a lost webhook caught
 * by the periodic sync; a template Meta pauses while a batch waits failing that batch at the router's
 * gate; analytics reading the template updates without calling them unparseable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("WhatsApp templates end to end: register, submit, approve by webhook, send with them")
class TemplateLifecycleTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final String KEY = "esk_live_templatelifecyclekeyfortests0000000";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static RunningRoles roles;
  private static String api;
  private static String sandboxApi;
  private static String approvedId;

  @BeforeAll
  static void start() {
    int http = EspTestEnv.freePort();
    Map<String, String> o = new HashMap<>();
    o.put("ESP_ROLES", "ingress,router,webhooks,analytics,sandbox");
    o.put("ESP_HTTP_PORT", Integer.toString(http));
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_SANDBOX_WEBHOOK_BASE", "http://127.0.0.1:" + http + "/webhooks");
    o.put("ESP_SANDBOX_INSTANCES", "1");
    o.put("ESP_SANDBOX_WEBHOOK_RETRY_MS", "100");
    o.put("ESP_BOOTSTRAP_API_KEY", KEY);
    o.put("ESP_TEMPLATES_SYNC_MS", "1000");
    EspConfig config = env.config(o);
    env.createTopics(config);
    roles = RunningRoles.start(config, new SandboxRole(), new AnalyticsRole(), new WebhooksRole(), new RouterRole(),
        new IngressRole());
    api = roles.baseUrl();
    sandboxApi = "http://127.0.0.1:" + config.sandbox().port();
    sandbox("PUT", "/sandbox/providers/meta", new JsonObject().put("latency_ms", new JsonObject().put("p50", 1)
        .put("p99", 5)).put("template_review", new JsonObject().put("delay_ms", 300).put("outcome", "approved")));
  }

  @AfterAll
  static void stop() {
    if (roles != null) {
      roles.close();
    }
  }

  private static JsonObject whatsapp(String name, String language) {
    return new JsonObject().put("channel", "whatsapp").put("name", name).put("language", language)
        .put("category", "utility")
        .put("components", new JsonArray()
            .add(new JsonObject().put("type", "body").put("text", "Olá {{1}}, seu pedido {{2}} foi enviado.")
                .put("example", new JsonObject().put("body_text", new JsonArray().add(new JsonArray().add("Ana")
                    .add("A-17")))))
            .add(new JsonObject().put("type", "buttons").put("buttons", new JsonArray()
                .add(new JsonObject().put("type", "url").put("text", "Rastrear")
                    .put("url", "https://t.example/{{1}}")
                    .put("example", new JsonArray().add("https://t.example/A-17"))))));
  }

  private static String registeredAndSubmitted(String name, String language) {
    HttpResponse<String> created = call("POST", "/v1/templates", whatsapp(name, language));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = new JsonObject(created.body()).getString("id");
    HttpResponse<String> submitted = call("POST", "/v1/templates/" + id + "/submit", new JsonObject());
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
    assertThat(new JsonObject(submitted.body()).getString("status")).isEqualTo("in_review");
    return id;
  }

  @Test
  @Order(1)
  @DisplayName("registered, submitted, approved by the sandbox after its delay; the signed webhook moves it to approved")
  void approvedByWebhook() {
    approvedId = registeredAndSubmitted("pedido_enviado", "pt_BR");
    JsonObject t = awaitTemplate(approvedId, x -> "approved".equals(x.getString("status")), 20);
    assertThat(t.getString("language")).isEqualTo("pt-BR");
    // The approval came as Meta's signed webhook, verified by the webhooks role and written to webhooks.meta,
    // where the registry's consumer reads it (TemplateMetaTest shows that consumer on its own).
    awaitCondition("the status webhook on webhooks.meta", 20, () -> metaWebhooks().stream()
        .anyMatch(b -> b.contains("message_template_status_update") && b.contains("pedido_enviado")
            && b.contains("APPROVED")));
    Counter unparseable = roles.registry().find("esp_analytics_unparseable_records_total").tag("provider", "meta")
        .counter();
    awaitCondition("analytics has read the template webhook", 20, () -> {
      Gauge lag = roles.registry().find("esp_analytics_consumer_lag_records").gauge();
      return lag != null && lag.value() == 0;
    });
    assertThat(unparseable == null ? 0 : unparseable.count()).as("template updates are not unparseable").isZero();
  }

  @Test
  @Order(2)
  @DisplayName("a send and a batch with it reach the sandbox as Meta template messages with language pt_BR and the "
      + "body and button parameters")
  void sendsReachTheSandbox() {
    HttpResponse<String> one = call("POST", "/v1/messages", new JsonObject().put("channel", "whatsapp")
        .put("to", "+5511999990001").put("template", "pedido_enviado").put("locale", "pt-BR")
        .put("data", new JsonObject().put("1", "Ana").put("2", "A-17").put("button.0", "A-17")));
    assertThat(one.statusCode()).as(one.body()).isEqualTo(202);
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < 3; i++) {
      recipients.add(new JsonObject().put("to", "+551199999001" + i).put("data", new JsonObject().put("1", "Cliente " + i)
          .put("2", "B-" + i).put("button.0", "B-" + i)));
    }
    HttpResponse<String> batch = call("POST", "/v1/batches", new JsonObject().put("channel", "whatsapp")
        .put("template", "pedido_enviado").put("locale", "pt_BR").put("recipients", recipients));
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);

    JsonObject record = awaitSandboxTemplate("pedido_enviado", t -> t.getLong("sends") >= 4, 30);
    JsonObject last = record.getJsonObject("last_send");
    assertThat(last.getJsonObject("language").getString("code")).isEqualTo("pt_BR");
    JsonArray components = last.getJsonArray("components");
    assertThat(components.getJsonObject(0).getString("type")).isEqualTo("body");
    assertThat(components.getJsonObject(0).getJsonArray("parameters")).hasSize(2);
    assertThat(components.getJsonObject(0).getJsonArray("parameters").getJsonObject(0).getString("text"))
        .isIn("Ana", "Cliente 0", "Cliente 1", "Cliente 2");
    assertThat(components.getJsonObject(1).getString("sub_type")).isEqualTo("url");
    String message = new JsonObject(one.body()).getString("id");
    assertThat(get("/v1/messages/" + message).getString("language")).isEqualTo("pt-BR");
  }

  @Test
  @Order(3)
  @DisplayName("a template the sandbox rejects is rejected in the registry with Meta's reason; its sends are "
      + "refused at accept time")
  void rejected() {
    sandbox("PUT", "/sandbox/providers/meta", new JsonObject().put("template_review", new JsonObject()
        .put("delay_ms", 100).put("outcome", "rejected").put("reason", "INVALID_FORMAT")));
    String id = registeredAndSubmitted("pedido_recusado", "pt_BR");
    JsonObject t = awaitTemplate(id, x -> "rejected".equals(x.getString("status")), 20);
    assertThat(t.getString("reason")).isEqualTo("INVALID_FORMAT");
    HttpResponse<String> send = call("POST", "/v1/messages", new JsonObject().put("channel", "whatsapp")
        .put("to", "+5511999990002").put("template", "pedido_recusado").put("locale", "pt_BR")
        .put("data", new JsonObject().put("1", "Ana").put("2", "A-17").put("button.0", "A-17")));
    assertThat(send.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(send.body()).getJsonObject("error").getString("code")).isEqualTo("template_not_approved");
  }

  @Test
  @Order(4)
  @DisplayName("with Meta's webhooks lost, the periodic sync still moves a reviewed template to approved")
  void lostWebhookCaughtBySync() {
    sandbox("PUT", "/sandbox/providers/meta", new JsonObject().put("webhooks", false).put("template_review",
        new JsonObject().put("delay_ms", 100).put("outcome", "approved")));
    String id = registeredAndSubmitted("pedido_sincronizado", "pt_BR");
    awaitTemplate(id, x -> "approved".equals(x.getString("status")), 20);
    sandbox("PUT", "/sandbox/providers/meta", new JsonObject().put("webhooks", true));
  }

  /** Every body on webhooks.meta so far. */
  private static java.util.List<String> metaWebhooks() {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("bootstrap.servers", env.bootstrapServers());
    cfg.put("group.id", "template-lifecycle-" + java.util.UUID.randomUUID());
    java.util.List<String> out = new java.util.ArrayList<>();
    try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(cfg,
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.StringDeserializer())) {
      var parts = c.partitionsFor(roles.config().kafka().topicPrefix() + "webhooks.meta", Duration.ofSeconds(5)).stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      for (int i = 0; i < 5; i++) {
        c.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
      }
    }
    return out;
  }

  @Test
  @Order(5)
  @DisplayName("Meta pauses the template while a batch with it waits for its send_at: the router's template gate "
      + "fails the batch's recipients with the reason and nothing reaches the sandbox")
  void pausedBeforeTheBatchGoes() {
    sandbox("PUT", "/sandbox/providers/meta", new JsonObject().put("webhooks", true).put("template_review",
        new JsonObject().put("delay_ms", 100).put("outcome", "approved")));
    String id = registeredAndSubmitted("pedido_pausado", "pt_BR");
    String metaId = awaitTemplate(id, x -> "approved".equals(x.getString("status")), 20).getString("meta_id");
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < 3; i++) {
      recipients.add(new JsonObject().put("to", "+551199999002" + i).put("data", new JsonObject().put("1", "C" + i)
          .put("2", "P-" + i).put("button.0", "P-" + i)));
    }
    HttpResponse<String> batch = call("POST", "/v1/batches", new JsonObject().put("channel", "whatsapp")
        .put("template", "pedido_pausado").put("locale", "pt_BR").put("recipients", recipients)
        .put("send_at", java.time.Instant.now().plusSeconds(4).toString()));
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
    String batchId = new JsonObject(batch.body()).getString("batch_id");

    sandbox("POST", "/sandbox/providers/meta/templates/" + metaId + "/status", new JsonObject().put("event", "PAUSED")
        .put("reason", "quality is low"));
    awaitTemplate(id, x -> "paused".equals(x.getString("status")), 10);
    JsonArray[] page = new JsonArray[1];
    awaitCondition("the batch failed by the gate", 30, () -> {
      page[0] = get("/v1/batches/" + batchId + "/messages").getJsonArray("data");
      return page[0].size() == 3 && page[0].stream().allMatch(m -> "failed".equals(((JsonObject) m).getString("status")));
    });
    JsonObject message = get("/v1/messages/" + page[0].getJsonObject(0).getString("id"));
    assertThat(message.getString("last_error")).startsWith("template paused by Meta: pedido_pausado (pt-BR)");
    assertThat(awaitSandboxTemplate("pedido_pausado", t -> true, 5).getLong("sends")).isZero();
  }

  private static JsonObject awaitTemplate(String id, Predicate<JsonObject> done, int seconds) {
    JsonObject[] last = new JsonObject[1];
    awaitCondition("template " + id, seconds, () -> done.test(last[0] = get("/v1/templates/" + id)));
    return last[0];
  }

  private static JsonObject awaitSandboxTemplate(String name, Predicate<JsonObject> done, int seconds) {
    JsonObject[] last = new JsonObject[1];
    awaitCondition("sandbox template " + name, seconds, () -> {
      JsonArray all = sandbox("GET", "/sandbox/providers/meta/templates", null).getJsonArray("templates");
      for (Object o : all) {
        if (((JsonObject) o).getString("name").equals(name)) {
          last[0] = (JsonObject) o;
          return done.test(last[0]);
        }
      }
      return false;
    });
    return last[0];
  }

  private static JsonObject get(String path) {
    HttpResponse<String> r = call("GET", path, null);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static HttpResponse<String> call(String method, String path, JsonObject body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + KEY)
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    return send(b);
  }

  private static JsonObject sandbox(String method, String path, JsonObject body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandboxApi + path)).header("content-type",
        "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> r = send(b);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitCondition(String what, int seconds, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
