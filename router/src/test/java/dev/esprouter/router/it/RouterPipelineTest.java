package dev.esprouter.router.it;

import static dev.esprouter.router.it.RouterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.http.ApiKeys;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.router.it.ProviderStandIn.Mode;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The router role end to end: real Kafka, real PostgreSQL, providers over HTTP. */
class RouterPipelineTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static ProviderStandIn providers;
  private static RunningRoles router;
  private static RouterFixture fixture;
  private static EspConfig config;
  private static String apiKey;

  @BeforeAll
  static void start() {
    providers = new ProviderStandIn();
    Map<String, String> o = new HashMap<>(providers.baseUrls());
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_ROLES", "router,analytics");
    o.put("ESP_ROUTING_WEIGHTS", "fixed");
    for (ProviderName p : ProviderName.values()) {
      o.put(p.envPrefix() + "_RATE_PER_SEC", "1000");
      o.put(p.envPrefix() + "_BURST", "1000");
    }
    o.put("META_RATE_PER_SEC", "20");
    o.put("META_BURST", "5");
    o.put("TELEGRAM_RATE_PER_SEC", "50");
    o.put("TELEGRAM_BURST", "5");
    o.put("ESP_PRIOR_WEIGHTS_EMAIL", "sendgrid:400,postmark:300,socketlabs:200,sparkpost:100");
    o.put("ESP_BREAKER_RESET_MS", "500");
    o.put("ESP_BREAKER_MIN_CALLS", "3");
    o.put("ESP_BREAKER_WINDOW_MS", "2000");
    o.put("ESP_RETRY_BASE_MS", "20");
    o.put("ESP_RETRY_CAP_MS", "200");
    o.put("ESP_RETRY_MAX_ATTEMPTS", "3");
    config = env.config(o);
    env.createTopics(config);
    router = RunningRoles.start(config, new RouterRole(), new AnalyticsRole());
    fixture = new RouterFixture(config);
    env.database().sql("insert into tenants (id, name) values ('ten_a', 'a'), ('ten_b', 'b')");
    apiKey = ApiKeys.generate();
    try {
      ApiKeys.store(router.runtime().pool(), "ten_a", apiKey).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    fixture.close();
    router.close();
    providers.close();
  }

  @BeforeEach
  void healthy() {
    for (ProviderName p : ProviderName.values()) {
      providers.mode(p, Mode.OK);
    }
  }

  @Test
  @DisplayName("A 10k batch reaches the providers split within one recipient per chunk of the weights, nothing lost, no duplicates")
  void weightedSplit() throws Exception {
    List<SendChunk> chunks = RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL, 10_000, null);
    chunks.forEach(fixture::publish);
    String batch = chunks.get(0).batchId();
    await("10k sent", 60, () -> Statuses.inBatch(env, batch, "sent") == 10_000);
    assertThat(acceptedOf(chunks)).isEqualTo(10_000);
    assertThat(providers.duplicates()).isZero();
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select recipients, weights::text, split::text from send_chunks where batch_id = '"
             + batch + "' and attempt = 0")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        int n = rs.getInt(1);
        JsonObject weights = new JsonObject(rs.getString(2)).getJsonObject("other");
        JsonObject split = new JsonObject(rs.getString(3));
        assertThat(weights.getInteger("sendgrid")).isEqualTo(400);
        for (String p : weights.fieldNames()) {
          double exact = n * weights.getInteger(p) / 1000.0;
          assertThat((double) split.getInteger(p, 0)).isBetween(Math.floor(exact), Math.ceil(exact));
        }
      }
      assertThat(rows).isEqualTo(20);
    }
    await("sent counters flushed", 10, () -> count("select coalesce(sum(sent), 0) from provider_stats") >= 10_000);
    // A send is one status row: it carries the provider, its id and the time (the timeline's "sent" entry).
    assertThat(count("select count(*) from message_status where batch_id = '" + batch + "' and sent_at is not null "
        + "and provider is not null and provider_message_id is not null and attempts = 1")).isEqualTo(10_000);
    assertThat(count("select count(*) from message_events e join message_status m on m.id = e.message_id "
        + "where m.batch_id = '" + batch + "'")).isZero();
    // The ledger: one row per provider call, each answered.
    assertThat(count("select count(*) from send_calls where chunk_key like '" + batch + "/%' and results is null"))
        .isZero();
    assertThat(count("select count(*) from send_chunks where batch_id = '" + batch + "' and state = 'done'"))
        .isEqualTo(20);
    String scrape = router.registry().scrape();
    assertThat(scrape).contains("esp_provider_requests_total{outcome=\"accepted\",provider=\"sendgrid\"}",
        "esp_provider_recipients_total", "esp_provider_request_duration_seconds_bucket", "esp_provider_breaker_state",
        "esp_provider_rate_limit_per_second", "esp_provider_limiter_wait_seconds", "esp_provider_weight{provider=\"sendgrid\"} 400",
        "esp_router_consumer_lag_records");
  }

  @Test
  @DisplayName("send_at is honoured: a near one holds the chunk until then, a far one is parked in PostgreSQL and sent when due")
  void sendAt() {
    Instant soon = Instant.now().plusSeconds(2);
    Instant later = Instant.now().plusSeconds(7);
    SendChunk near = single("msg_at_near", soon);
    SendChunk far = single("msg_at_far", later);
    fixture.publish(near);
    fixture.publish(far);
    await("far one parked", 10, () -> count("select count(*) from scheduled_chunks") == 1);
    assertThat(status("msg_at_far")).isNotEqualTo("sent");
    await("both sent", 30, () -> "sent".equals(status("msg_at_near")) && "sent".equals(status("msg_at_far")));
    assertThat(count("select count(*) from message_status where id = 'msg_at_near' and sent_at >= '" + soon + "'"))
        .isEqualTo(1);
    assertThat(count("select count(*) from message_status where id = 'msg_at_far' and sent_at >= '" + later + "'"))
        .isEqualTo(1);
    assertThat(count("select count(*) from scheduled_chunks")).isZero();
  }

  private static SendChunk single(String id, Instant sendAt) {
    return new SendChunk(null, "ten_a", 0, 1, Channel.EMAIL, Priority.HIGH, null, sendAt, null, 0, RouterFixture.email(),
        List.of(new Recipient(id, id + "@x.example", null, null)), Instant.now(), null);
  }

  @Test
  @DisplayName("A provider that is down opens its breaker, its share goes to the others, and it gets traffic again when back")
  void providerDown() {
    providers.mode(ProviderName.SENDGRID, Mode.DOWN);
    List<SendChunk> chunks = RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL, 3000, null);
    chunks.forEach(fixture::publish);
    String batch = chunks.get(0).batchId();
    await("3000 sent", 60, () -> Statuses.inBatch(env, batch, "sent") == 3000);
    assertThat(count("select count(*) from message_status where batch_id = '" + batch + "' and provider = 'sendgrid'"))
        .isZero();
    assertThat(acceptedOf(chunks)).isEqualTo(3000);
    await("sendgrid breaker open", 10, () -> health().breaker(ProviderName.SENDGRID) != ProviderHealth.Breaker.CLOSED);

    providers.mode(ProviderName.SENDGRID, Mode.OK);
    await("sendgrid gets traffic again", 30, () -> {
      List<SendChunk> more = RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL, 100, null);
      more.forEach(fixture::publish);
      sleep(300);
      return count("select count(*) from message_status where batch_id = '" + more.get(0).batchId()
          + "' and provider = 'sendgrid' and status = 'sent'") > 0;
    });
    assertThat(health().breaker(ProviderName.SENDGRID)).isEqualTo(ProviderHealth.Breaker.CLOSED);
  }

  @Test
  @DisplayName("A permanent answer fails only that recipient, with the reason, without failover; the rest are sent")
  void permanentRejection() {
    Content c = RouterFixture.email();
    List<Recipient> rs = List.of(new Recipient("msg_perm_ok", "fine@x.example", null, null),
        new Recipient("msg_perm_bad", "inactive@x.example", null, null));
    SendChunk chunk = new SendChunk(null, "ten_a", 0, 1, Channel.EMAIL, Priority.HIGH, "postmark", null, null, 0, c, rs,
        Instant.now(), null);
    fixture.publish(chunk);
    await("both settled", 30, () -> count("select count(*) from message_status where id in ('msg_perm_ok', "
        + "'msg_perm_bad') and status in ('sent', 'failed')") == 2);
    assertThat(status("msg_perm_ok")).isEqualTo("sent");
    assertThat(status("msg_perm_bad")).isEqualTo("failed");
    assertThat(count("select count(*) from message_status where id = 'msg_perm_bad' and last_error like '%406%'"))
        .isEqualTo(1);
    for (ProviderName p : ProviderName.values()) {
      assertThat(providers.accepted(p)).doesNotContainKey("msg_perm_bad");
    }
    assertThat(count("select count(*) from dead_letters where message_id = 'msg_perm_bad' and reason = 'permanent'"))
        .isEqualTo(1);
    assertThat(count("select count(*) from message_events where message_id = 'msg_perm_bad' and type = 'failed'"))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("An unreadable send record goes to the dead-letter topic and does not block the chunk after it on its partition")
  void unreadableRecord() {
    List<SendChunk> chunks = RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL, 10, null);
    fixture.publishRaw(fixture.topics().send(Priority.NORMAL), chunks.get(0).key(), "{not json".getBytes());
    fixture.publish(chunks.get(0));
    String batch = chunks.get(0).batchId();
    await("the next chunk sent", 30, () -> Statuses.inBatch(env, batch, "sent") == 10);
    var dead = fixture.records(fixture.topics().deadLetters(), r -> "{not json".equals(new String(r.value())), 1, 10);
    assertThat(new String(dead.get(0).headers().lastHeader("esp-dlq-reason").value())).startsWith("unreadable:");
  }

  @Test
  @DisplayName("A chunk PostgreSQL cannot store (NUL in its ids) is dead-lettered once after a few tries, with the "
      + "reason; the partition moves on")
  void poisonChunk() {
    String poisonId = "msg_nul\u0000" + System.nanoTime();
    List<SendChunk> next = RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL, 5, null);
    SendChunk poison = new SendChunk(next.get(0).batchId(), "ten_a", 0, 2, Channel.EMAIL, Priority.NORMAL, null, null,
        null, 0, RouterFixture.email(), List.of(new Recipient(poisonId, "nul@x.example", null, null)), Instant.now(), null,
        next.get(0).batchId() + "/poison");
    fixture.publish(poison);
    fixture.publish(next.get(0));
    String batch = next.get(0).batchId();
    await("the chunk after it sent", 30, () -> Statuses.inBatch(env, batch, "sent") == 5);
    var dead = fixture.records(fixture.topics().deadLetters(),
        r -> r.headers().lastHeader("esp-dlq-reason") != null
            && new String(r.value()).contains(batch + "/poison"), 1, 10);
    assertThat(new String(dead.get(0).headers().lastHeader("esp-dlq-reason").value())).startsWith("poison:");
    await("its dead letter, readable", 10, () -> count("select count(*) from dead_letters where batch_id = '" + batch
        + "' and reason = 'poison'") == 1);
    assertThat(router.registry().get("esp_router_poison_chunks_total").counter().count()).isGreaterThanOrEqualTo(1);
    // Dead-lettered once: the same record is not retried any more.
    sleep(1500);
    assertThat(fixture.records(fixture.topics().deadLetters(),
        r -> new String(r.value()).contains(batch + "/poison"), 0, 2)).hasSize(1);
  }

  @Test
  @DisplayName("A chunk delivered twice sends nothing twice")
  void redelivery() {
    List<SendChunk> chunks = RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL, 500, null);
    fixture.publish(chunks.get(0));
    fixture.publish(chunks.get(0));
    fixture.publish(fixture.topics().retry(), chunks.get(0));
    String batch = chunks.get(0).batchId();
    await("500 sent", 30, () -> Statuses.inBatch(env, batch, "sent") == 500);
    sleep(1000);
    assertThat(acceptedOf(chunks)).isEqualTo(500);
    assertThat(duplicatesOf(chunks)).isZero();
  }

  @Test
  @DisplayName("Recipients no provider takes are retried, then dead-lettered; the DLQ lists them and a requeue sends one")
  void deadLettersAndRequeue() {
    providers.mode(ProviderName.TELEGRAM, Mode.ERROR_503);
    Content text = new Content(null, null, null, null, "Hi {{name}}", null, null);
    List<SendChunk> chunks = RouterFixture.batch("ten_a", Channel.TELEGRAM, text, Priority.HIGH, 3, null);
    fixture.publish(chunks.get(0));
    String batch = chunks.get(0).batchId();
    await("3 dead", 30, () -> Statuses.inBatch(env, batch, "dead") == 3);
    assertThat(count("select count(*) from dead_letters where batch_id = '" + batch + "' and reason = 'exhausted'"))
        .isEqualTo(3);
    assertThat(count("select max(attempts) from message_status where batch_id = '" + batch + "'")).isEqualTo(3);

    WebClient web = WebClient.create(router.vertx());
    JsonObject page = call(web.getAbs(router.baseUrl() + "/v1/dlq?limit=500").bearerTokenAuthentication(apiKey).send()
        .map(r -> r.bodyAsJsonObject()));
    JsonArray data = page.getJsonArray("data");
    String deadId = chunks.get(0).recipients().get(0).messageId();
    assertThat(data.stream().map(o -> ((JsonObject) o).getString("id"))).contains(deadId);

    assertThat(httpStatus(web.getAbs(router.baseUrl() + "/v1/dlq?limit=0").bearerTokenAuthentication(apiKey).send())).isEqualTo(400);
    assertThat(httpStatus(web.getAbs(router.baseUrl() + "/v1/dlq").send())).isEqualTo(401);
    assertThat(httpStatus(web.postAbs(router.baseUrl() + "/v1/dlq/msg_nope/requeue").bearerTokenAuthentication(apiKey).send())).isEqualTo(404);

    providers.mode(ProviderName.TELEGRAM, Mode.OK);
    assertThat(httpStatus(web.postAbs(router.baseUrl() + "/v1/dlq/" + deadId + "/requeue").bearerTokenAuthentication(apiKey)
        .send())).isEqualTo(202);
    await("requeued message sent", 30, () -> "sent".equals(status(deadId)));
    assertThat(count("select count(*) from dead_letters where message_id = '" + deadId + "' and requeued_at is null"))
        .isZero();
    assertThat(httpStatus(web.postAbs(router.baseUrl() + "/v1/dlq/" + deadId + "/requeue").bearerTokenAuthentication(apiKey)
        .send())).isEqualTo(404);
  }

  @Test
  @DisplayName("A 429 storm: the provider sees no more than its limit plus one burst, and the adaptive rate drops below the configured one")
  void throttleStorm() {
    providers.mode(ProviderName.META, Mode.THROTTLE_429);
    Content text = new Content(null, null, null, null, "Hi {{name}}", null, null);
    List<SendChunk> chunks = RouterFixture.batch("ten_a", Channel.WHATSAPP, text, Priority.NORMAL, 40, null);
    int before = providers.requests(ProviderName.META);
    long start = System.nanoTime();
    fixture.publish(chunks.get(0));
    sleep(3000);
    int seen = providers.requests(ProviderName.META) - before;
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(seen).isLessThanOrEqualTo((int) Math.ceil(20 * seconds) + 5);
    assertThat(health().currentRate(ProviderName.META)).isLessThan(20);
  }

  private static ProviderHealth health() {
    return router.runtime().context().services().find(ProviderHealth.class).orElseThrow();
  }

  private static long acceptedOf(List<SendChunk> chunks) {
    return chunks.stream().flatMap(c -> c.recipients().stream()).filter(r -> {
      for (ProviderName p : ProviderName.values()) {
        if (providers.accepted(p).containsKey(r.messageId())) {
          return true;
        }
      }
      return false;
    }).count();
  }

  private static long duplicatesOf(List<SendChunk> chunks) {
    long d = 0;
    for (SendChunk c : chunks) {
      for (Recipient r : c.recipients()) {
        int n = 0;
        for (ProviderName p : ProviderName.values()) {
          var a = providers.accepted(p).get(r.messageId());
          n += a == null ? 0 : a.get();
        }
        d += Math.max(0, n - 1);
      }
    }
    return d;
  }

  private static int httpStatus(io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> f) {
    return call(f).statusCode();
  }

  private static <T> T call(io.vertx.core.Future<T> f) {
    try {
      return f.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(String sql) {
    return env.database().count(sql);
  }

  private static String status(String id) {
    return Statuses.of(env, id);
  }

  private static Connection connect() throws Exception {
    return dev.esprouter.testkit.TestDatabase.connect(env.database().settings());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
