package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Campaigns end to end with the whole pipeline in a process of its own (ingress, campaigns, router,
 * analytics, webhooks, as an operator runs it) and the sandbox in this JVM, so its record of what each
 * provider accepted outlives that process: a 20k-line CSV with bad, duplicate and suppressed lines
 * reaches the providers once per valid unique address, split by weight, across a {@code kill -9} of
 * the process feeding and routing it; and another tenant's campaign and single messages are not held
 * up behind it.
 */
class CampaignEndToEndTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final String KEY = "esk_live_campaignend2endkey00000000000000000";
  private static final String ADMIN = "campaign-e2e-admin";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static SandboxServer sandbox;
  private static int port;

  @BeforeAll
  static void start() {
    port = EspTestEnv.freePort();
    sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(23));
    env.createTopics(env.config(Map.of()));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.reset();
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("webhooks", false)
          .put("latency_ms", new JsonObject().put("p50", 20).put("p99", 80)));
    }
  }

  private static Map<String, String> processEnv() {
    Map<String, String> e = new HashMap<>();
    e.put("KAFKA_BOOTSTRAP_SERVERS", env.bootstrapServers());
    e.put("ESP_KAFKA_TOPIC_PREFIX", env.topicPrefix());
    e.put("PGHOST", env.database().settings().host());
    e.put("PGPORT", Integer.toString(env.database().settings().port()));
    e.put("PGDATABASE", env.database().name());
    e.put("PGUSER", env.database().settings().user());
    env.database().settings().password().ifPresent(pw -> e.put("PGPASSWORD", pw));
    e.put("ESP_HTTP_PORT", Integer.toString(port));
    e.put("ESP_ROLES", "ingress,campaigns,router,analytics,webhooks");
    e.put("ESP_BOOTSTRAP_API_KEY", KEY);
    e.put("ESP_ADMIN_TOKEN", ADMIN);
    e.put("ESP_PROVIDERS_MODE", "sandbox");
    e.put("ESP_ROUTING_WEIGHTS", "fixed");
    e.put("ESP_PRIOR_WEIGHTS_EMAIL", "sendgrid:400,postmark:300,socketlabs:200,sparkpost:100");
    e.put("ESP_ROUTER_INSTANCE_ID", "campaign-e2e");
    e.put("ESP_CAMPAIGN_LEASE_MS", "3000");
    e.put("ESP_DATA_DIR", "target/campaign-e2e-data");
    for (ProviderName p : ProviderName.values()) {
      e.put(p.envPrefix() + "_BASE_URL", sandbox.baseUrl(p));
      e.put(p.envPrefix() + "_RATE_PER_SEC", "1500");
      e.put(p.envPrefix() + "_BURST", "300");
    }
    return e;
  }

  @Test
  @DisplayName("20k-line CSV, kill -9 of the feeding and routing process mid-campaign, restart: every valid unique "
      + "address reaches a provider, split by weight, re-sent at most the calls in flight at the kill")
  void killAndRestart() throws Exception {
    Process first = RouterProcess.start(processEnv(), null, Files.createTempFile("campaign-kill", ".log"));
    RouterProcess.awaitReady(first, port);
    String tenant = tenantId();
    StringBuilder csv = new StringBuilder("email,name\n");
    List<String> suppressed = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      switch (i % 100) {
        case 0 -> csv.append("bad-").append(i).append(",Bad\n");
        case 1 -> csv.append("U").append(i + 2).append("@Kill.example,Again\n");
        case 2 -> {
          suppressed.add("u" + i + "@kill.example");
          csv.append("u").append(i).append("@kill.example,Suppressed\n");
        }
        default -> csv.append("u").append(i).append("@kill.example,U").append(i).append('\n');
      }
    }
    for (int i = 0; i < suppressed.size(); i += 100) {
      StringBuilder values = new StringBuilder();
      for (String a : suppressed.subList(i, Math.min(suppressed.size(), i + 100))) {
        values.append(values.length() == 0 ? "" : ",").append("('").append(tenant).append("','email','").append(a)
            .append("','hard_bounce')");
      }
      env.database().sql("insert into suppressions (tenant_id, channel, address, reason) values " + values);
    }
    String id = post("/v1/campaigns", KEY, new JsonObject().put("name", "kill").put("channel", "email")
        .put("from", "Shop <news@shop.example>").put("subject", "Hi {{name}}").put("html", "<p>{{name}}</p>"))
        .getString("id");
    JsonObject report = upload(id, csv.toString());
    assertThat(report.getLong("accepted")).as(report.encode()).isEqualTo(19_400);
    assertThat(report.getLong("rejected")).isEqualTo(200);
    assertThat(report.getLong("duplicates")).isEqualTo(200);
    assertThat(report.getLong("suppressed")).isEqualTo(200);
    post("/v1/campaigns/" + id + "/start", KEY, null);
    await("part of the campaign accepted", 120, () -> accepted() >= 5_000);
    first.destroyForcibly();
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long atKill = accepted();
    long openAtKill = env.database().count("select coalesce(sum(cardinality(message_ids)), 0) from send_calls "
        + "where chunk_key like '" + id + "/%' and results is null");
    assertThat(atKill).isLessThan(19_400);

    Process second = RouterProcess.start(processEnv(), null, Files.createTempFile("campaign-kill-2", ".log"));
    try {
      RouterProcess.awaitReady(second, port);
      await("completed after the restart", 240, () -> "completed".equals(get("/v1/campaigns/" + id, KEY)
          .getString("state")));
      long duplicates = sandbox.stats().duplicates();
      System.out.printf("campaign kill -9: accepted at the kill %d, recipients in open calls at the kill %d, "
          + "re-sent %d%n", atKill, openAtKill, duplicates);
      assertThat(accepted() - duplicates).isEqualTo(19_400);
      assertThat(duplicates).isLessThanOrEqualTo(openAtKill);
      long sendgrid = sandbox.stats().of(ProviderName.SENDGRID).messages();
      long sparkpost = sandbox.stats().of(ProviderName.SPARKPOST).messages();
      assertThat(sendgrid).isGreaterThan(sparkpost * 3);
      assertThat(sparkpost).isPositive();
      JsonObject totals = get("/v1/campaigns/" + id, KEY).getJsonObject("totals");
      assertThat(totals.getLong("sent")).isEqualTo(19_400);
      assertThat(totals.getLong("suppressed")).isEqualTo(200);
    } finally {
      RouterProcess.stopAndExpectZero(second);
    }
  }

  @Test
  @DisplayName("two tenants' campaigns progress side by side, and the other tenant's single messages are sent "
      + "within seconds while a 20k campaign is being fed")
  void tenantsSideBySide() throws Exception {
    Process p = RouterProcess.start(processEnv(), null, Files.createTempFile("campaign-fair", ".log"));
    try {
      RouterProcess.awaitReady(p, port);
      JsonObject t = post("/admin/tenants", ADMIN, new JsonObject().put("name", "other-" + System.nanoTime()));
      String otherKey = post("/admin/tenants/" + t.getString("id") + "/keys", ADMIN, null).getString("key");
      // The big one spread over 20 s (max_rate_per_sec), as a marketing blast is: long enough to overlap.
      String big = campaign(KEY, "big", "big", 20_000, 1_000);
      String small = campaign(otherKey, "small", "small", 1_000, null);
      post("/v1/campaigns/" + big + "/start", KEY, null);
      await("the big campaign under way", 60, () -> accepted() >= 1_000);
      post("/v1/campaigns/" + small + "/start", otherKey, null);
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long sentAt = System.nanoTime();
        String msg = post("/v1/messages", otherKey, new JsonObject().put("channel", "email")
            .put("from", "Shop <noreply@shop.example>").put("to", "single" + i + "@other.example")
            .put("subject", "Receipt").put("text", "Thanks")).getString("id");
        await("single " + i + " sent", 30, () -> !"queued".equals(get("/v1/messages/" + msg, otherKey)
            .getString("status")));
        latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt));
      }
      await("the small campaign completed", 120, () -> "completed".equals(get("/v1/campaigns/" + small, otherKey)
          .getString("state")));
      JsonObject bigNow = get("/v1/campaigns/" + big, KEY);
      System.out.printf("side by side: singles sent in %s ms; big campaign at %d of 20000 when the small one "
          + "completed%n", latencies, bigNow.getJsonObject("totals").getLong("sent"));
      assertThat(latencies).allSatisfy(ms -> assertThat(ms).isLessThan(5_000));
      assertThat(bigNow.getString("state")).isEqualTo("sending");
      await("the big campaign completed", 240, () -> "completed".equals(get("/v1/campaigns/" + big, KEY)
          .getString("state")));
      assertThat(sandbox.stats().duplicates()).isZero();
      assertThat(accepted()).isEqualTo(21_010);
    } finally {
      RouterProcess.stopAndExpectZero(p);
    }
  }

  private static String campaign(String key, String name, String prefix, int n, Integer rate) throws Exception {
    String id = post("/v1/campaigns", key, new JsonObject().put("name", name).put("channel", "email")
        .put("from", "Shop <news@shop.example>").put("subject", "Hi").put("text", "Hello")
        .put("max_rate_per_sec", rate)).getString("id");
    StringBuilder csv = new StringBuilder("to\n");
    for (int i = 0; i < n; i++) {
      csv.append(prefix).append(i).append("@").append(prefix).append(".example\n");
    }
    assertThat(upload(id, key, csv.toString()).getLong("accepted")).isEqualTo(n);
    return id;
  }

  private static String tenantId() {
    return env.database().string("select id from tenants where name = 'default'");
  }

  private static long accepted() {
    return ProviderName.of(Channel.EMAIL).stream().mapToLong(p -> sandbox.stats().of(p).messages()).sum();
  }

  private static JsonObject post(String path, String key, JsonObject body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key);
    b = body == null ? b.POST(HttpRequest.BodyPublishers.noBody())
        : b.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
    return new JsonObject(r.body());
  }

  private static JsonObject get(String path, String key) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + key).build(),
          HttpResponse.BodyHandlers.ofString());
      return new JsonObject(r.body());
    } catch (Exception e) {
      return new JsonObject();
    }
  }

  private static JsonObject upload(String id, String csv) throws Exception {
    return upload(id, KEY, csv);
  }

  private static JsonObject upload(String id, String key, String csv) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/v1/campaigns/" + id + "/recipients")).timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + key).header("content-type", "text/csv")
        .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
      }
      Thread.sleep(100);
    }
  }
}
