package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.ingress.IngressRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.webhooks.WebhooksRole;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 4: every route family (send, admin, templates, reads, suppressions, dead letters,
 * webhooks) refuses each kind of bad input with its 4xx in the API's one error shape, and nothing
 * is stored (row counts) or published (every topic read from the beginning).
 */
@DisplayName("Bad input is refused on every route, nothing stored or published")
class BadInputRoutesTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final String KEY = "esk_live_badinputroutestest000000000000000000";
  private static final String ADMIN = "bad-input-admin-token";
  private static final String JSON = "application/json";

  /** A request that must be refused: its method, target, Content-Type (null: none), body, expected answer. */
  private record Bad(String what, String method, String target, String contentType, byte[] body, int status,
                     String code, String field) {
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code prefix}, then raw bytes, then {@code suffix}: bodies no encoder would write. */
  private static byte[] raw(String prefix, int[] bytes, String suffix) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(prefix));
    for (int b : bytes) {
      out.write(b);
    }
    out.writeBytes(utf8(suffix));
    return out.toByteArray();
  }

  private static final String MESSAGE = "{\"channel\":\"email\",\"from\":\"Shop <noreply@shop.example>\","
      + "\"subject\":\"Hi\",\"text\":\"Hi\",\"to\":";

  private static List<Bad> bodies() {
    List<Bad> all = new ArrayList<>();
    // The same defects on every JSON route with a body.
    Map<String, String[]> routes = new java.util.LinkedHashMap<>();
    routes.put("POST /v1/messages", new String[] {"POST", "/v1/messages"});
    routes.put("POST /v1/batches", new String[] {"POST", "/v1/batches"});
    routes.put("POST /admin/tenants", new String[] {"POST", "/admin/tenants"});
    routes.put("PATCH /admin/tenants/:id", new String[] {"PATCH", "/admin/tenants/ten_default"});
    routes.put("POST /v1/templates", new String[] {"POST", "/v1/templates"});
    routes.put("PUT /v1/templates/:id", new String[] {"PUT", "/v1/templates/tpl_x"});
    routes.put("POST /v1/templates/:id/render", new String[] {"POST", "/v1/templates/tpl_x/render"});
    routes.forEach((name, r) -> {
      String m = r[0];
      String t = r[1];
      byte[] ok = utf8(MESSAGE + "\"a@example.com\"}");
      all.add(new Bad(name + " text/plain", m, t, "text/plain", ok, 415, "unsupported_media_type", null));
      all.add(new Bad(name + " form", m, t, "application/x-www-form-urlencoded", utf8("to=a%40example.com"), 415,
          "unsupported_media_type", null));
      all.add(new Bad(name + " xml", m, t, "application/xml", utf8("<to>a@example.com</to>"), 415,
          "unsupported_media_type", null));
      all.add(new Bad(name + " no Content-Type", m, t, null, ok, 415, "unsupported_media_type", null));
      all.add(new Bad(name + " latin-1", m, t, JSON + "; charset=iso-8859-1", ok, 415, "unsupported_media_type",
          null));
      all.add(new Bad(name + " overlong '/'", m, t, JSON, raw(MESSAGE + "\"", new int[] {0xC0, 0xAF},
          "fz38@example.com\"}"), 400, "invalid_utf8", null));
      all.add(new Bad(name + " CESU surrogate", m, t, JSON, raw(MESSAGE + "\"a@example.com\",\"x\":\"",
          new int[] {0xED, 0xA0, 0x80}, "\"}"), 400, "invalid_utf8", null));
      all.add(new Bad(name + " NUL in metadata", m, t, JSON, utf8(MESSAGE
          + "\"a@example.com\",\"metadata\":{\"k\":\"v\\u0000\"}}"), 400, "invalid_field", "metadata.k"));
      all.add(new Bad(name + " NUL in a key", m, t, JSON, utf8(MESSAGE
          + "\"a@example.com\",\"metadata\":{\"k\\u0000\":\"v\"}}"), 400, "invalid_field", "metadata"));
      all.add(new Bad(name + " NUL in text", m, t, JSON, utf8("{\"channel\":\"email\",\"to\":\"a@example.com\","
          + "\"text\":\"a\\u0000b\"}"), 400, "invalid_field", "text"));
      all.add(new Bad(name + " lone surrogate", m, t, JSON, utf8(MESSAGE + "\"a@example.com\",\"subject\":"
          + "\"\\ud800\"}"), 400, "invalid_field", "subject"));
    });
    all.add(new Bad("batch recipient's metadata", "POST", "/v1/batches", JSON, utf8("{\"channel\":\"email\","
        + "\"from\":\"a@shop.example\",\"subject\":\"s\",\"text\":\"t\",\"recipients\":[{\"to\":\"a@example.com\"},"
        + "{\"to\":\"b@example.com\",\"metadata\":{\"k\":\"\\u0000\"}}]}"), 400, "invalid_field",
        "recipients[1].metadata.k"));
    // Ids in paths and query strings.
    all.add(new Bad("message id with NUL", "GET", "/v1/messages/msg_%00", null, null, 404, "not_found", null));
    all.add(new Bad("message id, bad escape", "GET", "/v1/messages/msg_%ZZ", null, null, 404, "not_found", null));
    all.add(new Bad("batch id overlong", "GET", "/v1/batches/bat_%C0%AF", null, null, 404, "not_found", null));
    all.add(new Bad("batch list cursor with NUL", "GET", "/v1/batches/bat_x/messages?after=%00", null, null, 400,
        "invalid_field", "after"));
    all.add(new Bad("batch list status raw byte", "GET", "/v1/batches/bat_x/messages?status=%FF", null, null, 400,
        "invalid_field", "status"));
    all.add(new Bad("template id with NUL", "GET", "/v1/templates/tpl_%00", null, null, 404, "not_found", null));
    all.add(new Bad("template list name with NUL", "GET", "/v1/templates?name=a%00", null, null, 400,
        "invalid_field", "name"));
    all.add(new Bad("suppression with NUL", "GET", "/v1/suppressions/a%00%40example.com", null, null, 404,
        "not_found", null));
    all.add(new Bad("suppression delete overlong", "DELETE", "/v1/suppressions/%C0%AF", null, null, 404, "not_found",
        null));
    all.add(new Bad("dlq list cursor with NUL", "GET", "/v1/dlq?after=%00", null, null, 400, "invalid_field",
        "after"));
    all.add(new Bad("dlq requeue id with NUL", "POST", "/v1/dlq/msg_%00/requeue", null, null, 404, "not_found",
        null));
    all.add(new Bad("admin tenant id with NUL", "POST", "/admin/tenants/ten_%00/keys", null, null, 404, "not_found",
        null));
    // Webhooks: signed (the sandbox's Telegram secret), so only the body is wrong.
    all.add(new Bad("telegram webhook NUL", "POST", "/webhooks/telegram", JSON, utf8("{\"update_id\":7,"
        + "\"message\":{\"text\":\"hi\\u0000\"}}"), 400, "invalid_field", "message.text"));
    all.add(new Bad("telegram webhook overlong", "POST", "/webhooks/telegram", JSON, raw("{\"update_id\":8,"
        + "\"message\":{\"text\":\"", new int[] {0xC0, 0xAF}, "\"}}"), 400, null, null));
    return all;
  }

  private static Map<String, String> headers(Bad b) {
    Map<String, String> h = new HashMap<>();
    if (b.target().startsWith("/admin")) {
      h.put("Authorization", "Bearer " + ADMIN);
    } else if (b.target().startsWith("/webhooks/telegram")) {
      h.put("X-Telegram-Bot-Api-Secret-Token", SandboxSecrets.TELEGRAM_WEBHOOK_SECRET);
    } else {
      h.put("Authorization", "Bearer " + KEY);
    }
    if (b.contentType() != null) {
      h.put("Content-Type", b.contentType());
    }
    return h;
  }

  @Test
  @DisplayName("each bad body, media type, id and webhook gets its 4xx and error code; no row, no record")
  void everyRouteFamily() throws Exception {
    EspConfig config = env.config(Map.of("ESP_ADMIN_TOKEN", ADMIN, "ESP_BOOTSTRAP_API_KEY", KEY));
    env.createTopics(config);
    try (RunningRoles roles = RunningRoles.start(config, new IngressRole(), new RouterRole(), new AnalyticsRole(),
        new WebhooksRole())) {
      int port = config.httpPort();
      long tenants = env.database().count("select count(*) from tenants");
      long keys = env.database().count("select count(*) from api_keys");
      List<String> wrong = new ArrayList<>();
      for (Bad b : bodies()) {
        RawHttp.Reply r = RawHttp.send(port, b.method(), b.target(), headers(b), b.body());
        boolean ok = r.status() == b.status()
            && r.body().contains("\"error\"")
            && (b.code() == null || r.body().contains("\"code\":\"" + b.code() + "\""))
            && (b.field() == null || r.body().contains("\"field\":\"" + b.field() + "\""));
        if (!ok) {
          wrong.add(b.what() + " → " + r.status() + " " + r.body());
        }
      }
      assertThat(wrong).isEmpty();
      for (String table : List.of("messages", "batches", "idempotency_keys", "templates", "suppressions",
          "dead_letters", "message_events", "unmatched_events", "send_calls")) {
        assertThat(env.database().count("select count(*) from " + table)).as(table).isZero();
      }
      assertThat(env.database().count("select count(*) from tenants")).isEqualTo(tenants);
      assertThat(env.database().count("select count(*) from api_keys")).isEqualTo(keys);
      assertThat(records(env.topics().all(), 2_000)).as("records on any topic").isZero();

      // The same routes still take good input: UTF-8 JSON with a charset, and a bodiless POST.
      RawHttp.Reply good = RawHttp.send(port, "POST", "/v1/messages", Map.of("Authorization", "Bearer " + KEY,
          "Content-Type", "application/json; charset=UTF-8"), utf8(MESSAGE + "\"josé@example.com\","
          + "\"metadata\":{\"k\":\"a \\\\u0000 is text here\"}}"));
      assertThat(good.status()).as(good.body()).isEqualTo(202);
      RawHttp.Reply bodiless = RawHttp.send(port, "POST", "/admin/tenants/ten_none/keys",
          Map.of("Authorization", "Bearer " + ADMIN), null);
      assertThat(bodiless.status()).as(bodiless.body()).isEqualTo(404);
    }
  }

  private static long records(List<String> topics, long waitMs) {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("bootstrap.servers", env.bootstrapServers());
    cfg.put("group.id", "bad-input-" + UUID.randomUUID());
    cfg.put("enable.auto.commit", "false");
    long n = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : topics) {
        for (PartitionInfo info : c.partitionsFor(t, Duration.ofSeconds(10))) {
          parts.add(new TopicPartition(info.topic(), info.partition()));
        }
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.currentTimeMillis() + waitMs;
      while (System.currentTimeMillis() < deadline) {
        n += c.poll(Duration.ofMillis(200)).count();
      }
    }
    return n;
  }
}
