package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.MessageStatus;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.status.MessageState;
import dev.esprouter.common.Topics;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The send API accepts messages and batches and reads them back")
class SendApiTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();
  static IngressHarness h;
  static final String KEY = IngressHarness.BOOTSTRAP_KEY;

  @BeforeAll
  static void start() {
    h = IngressHarness.start(env);
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  @DisplayName("A message is answered 202 only once it is in Kafka, on the high lane with its headers, and reads as queued at once")
  void message() {
    HttpResponse<Buffer> r = h.post("/v1/messages", KEY, Bodies.email("alice@example.com"),
        Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    assertThat(r.statusCode()).isEqualTo(202);
    String id = r.bodyAsJsonObject().getString("id");
    assertThat(id).startsWith("msg_");
    assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("queued");

    JsonObject read = h.get("/v1/messages/" + id, KEY).bodyAsJsonObject();
    assertThat(read.getString("status")).isEqualTo("queued");
    assertThat(read.getString("to")).isEqualTo("alice@example.com");
    assertThat(read.getString("channel")).isEqualTo("email");
    assertThat(read.getJsonArray("events")).isEmpty();
    assertThat(read.getJsonObject("metadata").getString("order_id")).isEqualTo("A-17");

    List<ConsumerRecord<String, byte[]>> mine = h.sendRecords("read_committed", 1500).stream()
        .filter(c -> c.key().equals(id)).toList();
    assertThat(mine).hasSize(1);
    ConsumerRecord<String, byte[]> rec = mine.get(0);
    assertThat(rec.topic()).endsWith("send.high");
    assertThat(header(rec, Topics.HEADER_PRIORITY)).isEqualTo("high");
    assertThat(header(rec, Topics.HEADER_TENANT)).startsWith("ten_");
    assertThat(header(rec, Topics.HEADER_TRACE_ID)).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    SendChunk chunk = SendChunk.fromBuffer(Buffer.buffer(rec.value()));
    assertThat(chunk.isSingle()).isTrue();
    assertThat(chunk.recipients().get(0).data().getString("name")).isEqualTo("Alice");
    assertThat(chunk.content().subject()).isEqualTo("Order {{order_id}} confirmed");
  }

  @Test
  @DisplayName("The timeline shows the send from the message's state, in time order with the recorded events")
  void timelineSent() {
    MessageState st = new MessageState("msg_t", MessageStatus.DELIVERED, "postmark", "pm-1", 2, null,
        Instant.parse("2026-11-30T08:00:01Z"), Instant.parse("2026-11-30T08:00:05Z"));
    JsonArray recorded = new JsonArray()
        .add(new JsonObject().put("type", "failover").put("at", "2026-11-30T08:00:00Z").put("provider", "sendgrid"))
        .add(new JsonObject().put("type", "delivered").put("at", "2026-11-30T08:00:05Z").put("provider", "postmark"));
    JsonArray events = ReadApi.timeline(st, recorded);
    assertThat(events.stream().map(e -> ((JsonObject) e).getString("type")).toList())
        .containsExactly("failover", "sent", "delivered");
    JsonObject sent = events.getJsonObject(1);
    assertThat(sent.getString("provider")).isEqualTo("postmark");
    assertThat(sent.getString("at")).isEqualTo("2026-11-30T08:00:01Z");
    assertThat(sent.getJsonObject("detail")).isEqualTo(new JsonObject().put("provider_message_id", "pm-1").put("attempt", 2));

    // A timeline from before sends stopped being event rows keeps its own, once.
    recorded.add(1, new JsonObject().put("type", "sent").put("at", "2026-11-30T08:00:01Z").put("provider", "postmark"));
    assertThat(ReadApi.timeline(st, recorded).stream().map(e -> ((JsonObject) e).getString("type")).toList())
        .containsExactly("failover", "sent", "delivered");
    // Not sent yet: no sent line.
    assertThat(ReadApi.timeline(null, new JsonArray())).isEmpty();
  }

  @Test
  @DisplayName("A batch goes out in chunks of at most 500 keyed by its id; bad recipients are refused one by one")
  void batch() {
    JsonObject body = Bodies.batch(1200).put("metadata", new JsonObject().put("campaign", "winter"));
    body.getJsonArray("recipients").getJsonObject(5).put("to", "bob@");
    body.getJsonArray("recipients").set(700, "not an object");
    HttpResponse<Buffer> r = h.post("/v1/batches", KEY, body);
    assertThat(r.statusCode()).isEqualTo(202);
    JsonObject a = r.bodyAsJsonObject();
    String batchId = a.getString("batch_id");
    assertThat(a.getInteger("accepted")).isEqualTo(1198);
    assertThat(a.getJsonArray("rejected").stream().map(o -> ((JsonObject) o).getInteger("index")).toList())
        .containsExactly(5, 700);
    assertThat(a.getJsonArray("rejected").getJsonObject(0).getString("message")).contains("recipients[5].to");
    assertThat(a.getString("message_ids_url")).isEqualTo("/v1/batches/" + batchId + "/messages");

    List<SendChunk> chunks = h.sendRecords("read_committed", 1500).stream().filter(c -> c.key().equals(batchId))
        .map(c -> SendChunk.fromBuffer(Buffer.buffer(c.value()))).toList();
    assertThat(chunks).hasSize(3);
    assertThat(chunks.stream().mapToInt(c -> c.recipients().size()).sum()).isEqualTo(1198);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.recipients().size()).isLessThanOrEqualTo(500);
      assertThat(c.chunkCount()).isEqualTo(3);
      assertThat(c.priority().wire()).isEqualTo("normal");
    });
    assertThat(chunks.get(0).recipients().get(0).metadata().getString("campaign")).isEqualTo("winter");

    // No router and no status writer in this process: everything reads as queued, no chunk routed yet.
    JsonObject read = h.get("/v1/batches/" + batchId, KEY).bodyAsJsonObject();
    assertThat(read.getJsonObject("by_status").getLong("queued")).isEqualTo(1198L);
    assertThat(read.getInteger("rejected")).isEqualTo(2);
    assertThat(read.getJsonArray("chunks")).isEmpty();

    Set<String> ids = new HashSet<>();
    String after = null;
    int pages = 0;
    do {
      JsonObject page = h.get("/v1/batches/" + batchId + "/messages?limit=500" + (after == null ? "" : "&after=" + after),
          KEY).bodyAsJsonObject();
      page.getJsonArray("data").forEach(m -> ids.add(((JsonObject) m).getString("id")));
      after = page.getString("next_after");
      pages++;
    } while (after != null);
    assertThat(pages).isEqualTo(3);
    assertThat(ids).hasSize(1198);
    JsonObject queuedOnly = h.get("/v1/batches/" + batchId + "/messages?status=sent", KEY).bodyAsJsonObject();
    assertThat(queuedOnly.getJsonArray("data")).isEmpty();
  }

  @Test
  @DisplayName("Recipients with large data are split into more chunks so no record exceeds the chunk byte limit")
  void largeRecipientsMakeMoreChunks() {
    JsonObject body = Bodies.batch(300);
    String big = "x".repeat(12_000);
    body.getJsonArray("recipients").forEach(o -> ((JsonObject) o).put("data", new JsonObject().put("note", big)));
    String batchId = h.post("/v1/batches", KEY, body).bodyAsJsonObject().getString("batch_id");
    List<ConsumerRecord<String, byte[]>> recs = h.sendRecords("read_committed", 1500).stream()
        .filter(c -> c.key().equals(batchId)).toList();
    assertThat(recs.size()).isGreaterThan(1);
    assertThat(recs).allSatisfy(c -> assertThat(c.value().length).isLessThanOrEqualTo(900_000));
  }

  @Test
  @DisplayName("No key or an unknown key is a 401; a revoked key stops working at once")
  void auth() {
    assertThat(h.post("/v1/messages", null, Bodies.email("a@example.com")).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> unknown = h.post("/v1/messages", "esk_live_nope", Bodies.email("a@example.com"));
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unauthorized");

    String[] t = h.newTenant("revoker", null);
    assertThat(h.post("/v1/messages", t[1], Bodies.email("a@example.com")).statusCode()).isEqualTo(202);
    assertThat(h.admin(HttpMethod.DELETE, "/admin/tenants/" + t[0] + "/keys/" + t[2], null).statusCode()).isEqualTo(204);
    assertThat(h.post("/v1/messages", t[1], Bodies.email("a@example.com")).statusCode()).isEqualTo(401);
    assertThat(h.admin(HttpMethod.DELETE, "/admin/tenants/" + t[0] + "/keys/" + t[2], null).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("The admin API refuses a wrong token, a duplicate tenant name and bad fields")
  void admin() {
    HttpResponse<Buffer> wrong = h.call(HttpMethod.POST, "/admin/tenants", "not-the-token",
        new JsonObject().put("name", "x").toBuffer(), Map.of());
    assertThat(wrong.statusCode()).isEqualTo(401);
    h.newTenant("dupe", 10);
    HttpResponse<Buffer> dupe = h.admin(HttpMethod.POST, "/admin/tenants", new JsonObject().put("name", "dupe"));
    assertThat(dupe.statusCode()).isEqualTo(409);
    HttpResponse<Buffer> bad = h.admin(HttpMethod.POST, "/admin/tenants", new JsonObject().put("name", "Bad Name"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("name");
    assertThat(h.admin(HttpMethod.POST, "/admin/tenants/ten_missing/keys", null).statusCode()).isEqualTo(404);
    assertThat(env.database().count("select count(*) from tenants where name = 'Bad Name'")).isZero();
  }

  @Test
  @DisplayName("Another tenant's message or batch is a 404, exactly like an id that does not exist")
  void tenantsAreIsolated() {
    String id = h.post("/v1/messages", KEY, Bodies.email("a@example.com")).bodyAsJsonObject().getString("id");
    String batchId = h.post("/v1/batches", KEY, Bodies.batch(3)).bodyAsJsonObject().getString("batch_id");
    String[] other = h.newTenant("other", null);
    HttpResponse<Buffer> m = h.get("/v1/messages/" + id, other[1]);
    assertThat(m.statusCode()).isEqualTo(404);
    assertThat(m.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("not_found");
    assertThat(h.get("/v1/batches/" + batchId, other[1]).statusCode()).isEqualTo(404);
    assertThat(h.get("/v1/batches/" + batchId + "/messages", other[1]).statusCode()).isEqualTo(404);
    assertThat(h.get("/v1/messages/msg_doesnotexist", KEY).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("Idempotency-Key: same body replays the first answer and enqueues nothing; another body is a 409")
  void idempotency() {
    JsonObject body = Bodies.email("idem@example.com");
    Map<String, String> key = Map.of("Idempotency-Key", "order-17-confirmation");
    HttpResponse<Buffer> first = h.post("/v1/messages", KEY, body, key);
    HttpResponse<Buffer> again = h.post("/v1/messages", KEY, body, key);
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(env.database().count("select count(*) from messages where recipient = 'idem@example.com'")).isEqualTo(1);

    HttpResponse<Buffer> changed = h.post("/v1/messages", KEY, body.copy().put("subject", "Other"), key);
    assertThat(changed.statusCode()).isEqualTo(409);
    assertThat(changed.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("idempotency_key_reused");

    // Another tenant's identical key is its own.
    String[] other = h.newTenant("idem-other", null);
    assertThat(h.post("/v1/messages", other[1], body, key).statusCode()).isEqualTo(202);
  }

  @Test
  @DisplayName("Concurrent duplicates with one Idempotency-Key: one wins, nothing is sent twice")
  void concurrentDuplicates() throws Exception {
    JsonObject body = Bodies.email("race@example.com");
    List<io.vertx.core.Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(h.http.postAbs(h.roles.baseUrl() + "/v1/messages").putHeader("Authorization", "Bearer " + KEY)
          .putHeader("Idempotency-Key", "race-1").putHeader("content-type", "application/json")
          .sendBuffer(body.toBuffer()));
    }
    io.vertx.core.Future.all(calls).await(30, java.util.concurrent.TimeUnit.SECONDS);
    Set<String> ids = new HashSet<>();
    for (var f : calls) {
      assertThat(f.result().statusCode()).isIn(202, 409);
      if (f.result().statusCode() == 202) {
        ids.add(f.result().bodyAsJsonObject().getString("id"));
      }
    }
    assertThat(ids).hasSize(1);
    assertThat(env.database().count("select count(*) from messages where recipient = 'race@example.com'")).isEqualTo(1);
  }

  @Test
  @DisplayName("Bodies over the limits are 413: 1 MiB for a message, 10 MiB for a batch")
  void tooLarge() {
    JsonObject big = Bodies.email("a@example.com").put("html", "x".repeat(1024 * 1024 + 10));
    HttpResponse<Buffer> r = h.post("/v1/messages", KEY, big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("payload_too_large");
    JsonObject huge = Bodies.batch(1).put("html", "y".repeat(10 * 1024 * 1024 + 10));
    assertThat(h.post("/v1/batches", KEY, huge).statusCode()).isEqualTo(413);
  }

  @Test
  @DisplayName("A tenant over its own request rate gets 429 with Retry-After; other tenants are not affected")
  void rateLimit() {
    String[] slow = h.newTenant("slow", 2);
    List<Integer> codes = new ArrayList<>();
    HttpResponse<Buffer> limited = null;
    for (int i = 0; i < 6; i++) {
      HttpResponse<Buffer> r = h.get("/v1/messages/msg_none", slow[1]);
      codes.add(r.statusCode());
      if (r.statusCode() == 429) {
        limited = r;
      }
    }
    assertThat(codes).contains(429);
    assertThat(limited.getHeader("Retry-After")).isNotNull();
    assertThat(limited.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("rate_limited");
    assertThat(h.get("/v1/messages/msg_none", KEY).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("Suppressed addresses are refused with code suppressed: a single message whole, a batch recipient by index")
  void suppressed() {
    env.database().sql("insert into suppressions (tenant_id, channel, address, reason) "
        + "select id, 'email', 'blocked@example.com', 'hard_bounce' from tenants where name = 'default'");
    HttpResponse<Buffer> r = h.post("/v1/messages", KEY, Bodies.email("Blocked@Example.com"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("suppressed");
    assertThat(env.database().count("select count(*) from messages where lower(recipient) = 'blocked@example.com'"))
        .isZero();

    JsonObject body = Bodies.batch(3);
    body.getJsonArray("recipients").getJsonObject(1).put("to", "blocked@example.com");
    JsonObject a = h.post("/v1/batches", KEY, body).bodyAsJsonObject();
    assertThat(a.getInteger("accepted")).isEqualTo(2);
    assertThat(a.getJsonArray("rejected").getJsonObject(0).getInteger("index")).isEqualTo(1);
    assertThat(a.getJsonArray("rejected").getJsonObject(0).getString("code")).isEqualTo("suppressed");
  }

  @Test
  @DisplayName("Internationalized domains, E.164 numbers and Telegram chat ids are accepted on their channels")
  void addressForms() {
    assertThat(h.post("/v1/messages", KEY, Bodies.email("jörg@bücher.example")).statusCode()).isEqualTo(202);
    JsonObject wa = new JsonObject().put("channel", "whatsapp").put("to", "+14155550123").put("template", "order_update")
        .put("data", new JsonObject().put("1", "A-17"));
    assertThat(h.post("/v1/messages", KEY, wa).statusCode()).isEqualTo(202);
    JsonObject tg = new JsonObject().put("channel", "telegram").put("to", "-1001234567890").put("text", "Hi {{name}}")
        .put("priority", "low").put("provider", "telegram");
    assertThat(h.post("/v1/messages", KEY, tg).statusCode()).isEqualTo(202);
  }

  @Test
  @DisplayName("The request counters, latency histogram and accepted counters are exported")
  void metrics() {
    h.post("/v1/messages", KEY, Bodies.email("m@example.com"));
    h.post("/v1/messages", KEY, new JsonObject().put("channel", "fax"));
    String text = h.get("/metrics", null).bodyAsString();
    assertThat(text).contains("esp_ingress_requests_total{method=\"POST\",route=\"/v1/messages\",status=\"202\"}");
    assertThat(text).contains("esp_ingress_request_duration_seconds_bucket");
    assertThat(text).contains("esp_ingress_messages_accepted_total{channel=\"email\",priority=\"high\"}");
    assertThat(text).contains("esp_ingress_recipients_rejected_total{code=\"invalid_field\"}");
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
