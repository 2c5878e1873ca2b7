package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.ingress.IngressRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxRole;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.webhooks.WebhooksRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, item 5 end to end: weights per recipient-domain group. Batches mix Gmail and Microsoft
 * (outlook.com, hotmail.com) recipients; SendGrid, the strongest provider, starts being blocked
 * provider-side (5.7.1) for a quarter of its Microsoft mail only (the sandbox's
 * {@code outcomes_by_domain}), and loses the Microsoft traffic while it keeps the Gmail traffic.
 * Same set-up as {@link WeightLoopTest}: every role in one process, the real broker and PostgreSQL,
 * the sandbox posting its webhooks back. The tests run in order on one growing history.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Weights per recipient-domain group: a provider blocked only at Microsoft loses only Microsoft's traffic")
class DomainGroupRoutingTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final String KEY = "esk_live_domaingroupkeyfortests00000000000000";
  private static final List<ProviderName> EMAIL = ProviderName.of(Channel.EMAIL);
  private static final ProviderName SG = ProviderName.SENDGRID;
  /** One chunk: half Gmail, half Microsoft (outlook.com and hotmail.com alternating). */
  private static final int BATCH = 500;
  private static final int PER_GROUP = BATCH / 2;
  private static final int PROBE_POINTS = 50;
  private static final Logger log = LoggerFactory.getLogger(DomainGroupRoutingTest.class);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static RunningRoles roles;
  private static String api;
  private static String sandboxApi;
  private static int batches;
  private static long accepted;

  @BeforeAll
  static void start() {
    int http = EspTestEnv.freePort();
    Map<String, String> o = new HashMap<>();
    o.put("ESP_ROLES", "ingress,router,webhooks,analytics,sandbox");
    o.put("ESP_HTTP_PORT", Integer.toString(http));
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_SANDBOX_WEBHOOK_BASE", "http://127.0.0.1:" + http + "/webhooks");
    o.put("ESP_SANDBOX_SEED", "12");
    o.put("ESP_SANDBOX_INSTANCES", "1");
    o.put("ESP_SANDBOX_WEBHOOK_RETRY_MS", "100");
    o.put("ESP_BOOTSTRAP_API_KEY", KEY);
    o.put("ESP_WEIGHTS_REFRESH_MS", "500");
    // Probes large and soon enough for groups of 250 a batch: 5 %, judged after 20, a 1 s back-off.
    o.put("ESP_ROUTING_PROBE_SHARE", "0.05");
    o.put("ESP_ROUTING_PROBE_MIN_SENDS", "20");
    o.put("ESP_ROUTING_GATE_BACKOFF_MS", "1000");
    for (ProviderName p : EMAIL) {
      o.put(p.envPrefix() + "_RATE_PER_SEC", "2000");
      o.put(p.envPrefix() + "_BURST", "500");
    }
    EspConfig config = env.config(o);
    env.createTopics(config);
    roles = RunningRoles.start(config, new SandboxRole(), new AnalyticsRole(), new WebhooksRole(), new RouterRole(),
        new IngressRole());
    api = roles.baseUrl();
    sandboxApi = "http://127.0.0.1:" + config.sandbox().port();
    // Every provider delivers alike everywhere; SendGrid's recipients open most, so it leads in both groups.
    for (ProviderName p : EMAIL) {
      profile(p, new JsonObject().put("latency_ms", new JsonObject().put("p50", 2).put("p99", 10))
          .put("webhook_delay_ms", 100)
          .put("outcomes", new JsonObject().put("blocked", 0.01).put("bounced", 0.0).put("soft_bounced", 0.0)
              .put("dropped", 0.0).put("complained", 0.0).put("opened", p == SG ? 0.4 : 0.2).put("clicked", 0.03)));
    }
  }

  @AfterAll
  static void stop() {
    if (roles != null) {
      roles.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("while it is clean everywhere, SendGrid (opened most) leads at Gmail and at Microsoft")
  void strongEverywhere() {
    for (int i = 0; i < 12 && !(leads(DomainGroup.GMAIL) && leads(DomainGroup.MICROSOFT)); i++) {
      sendBatchAndAwaitStats();
    }
    for (DomainGroup g : List.of(DomainGroup.GMAIL, DomainGroup.MICROSOFT)) {
      JsonObject e = explain(g);
      assertThat(gate(e, SG)).as(g.wire()).isEqualTo("open");
      assertThat(leads(g)).as(g.wire() + ": " + e.getJsonObject("weights").encode()).isTrue();
    }
  }

  @Test
  @Order(2)
  @DisplayName("blocked provider-side for 25% of Microsoft's recipients only, SendGrid is cut at Microsoft and keeps "
      + "more than an equal share at Gmail")
  void blockedAtMicrosoftOnly() {
    profile(SG, new JsonObject().put("outcomes_by_domain",
        new JsonObject().put("microsoft", new JsonObject().put("blocked", 0.25))));
    JsonObject ms = explain(DomainGroup.MICROSOFT);
    for (int i = 0; i < 8 && gate(ms, SG).equals("open"); i++) {
      sendBatchAndAwaitStats();
      ms = explain(DomainGroup.MICROSOFT);
    }
    JsonObject sgAtMs = line(ms, SG);
    assertThat(gate(ms, SG)).as(ms.encode()).isNotEqualTo("open");
    assertThat(sgAtMs.getInteger("weight")).as(ms.encode()).isLessThanOrEqualTo(PROBE_POINTS);
    assertThat(sgAtMs.getJsonObject("learned").getJsonObject("gate").getString("reason")).startsWith("failure");
    assertThat(sgAtMs.getJsonObject("window").getLong("bounced")).as("blocks counted provider-side at Microsoft")
        .isGreaterThan(10);
    assertThat(sgAtMs.getJsonObject("window").getLong("bounced_recipient")).isZero();

    JsonObject gm = explain(DomainGroup.GMAIL);
    assertThat(gate(gm, SG)).as(gm.encode()).isEqualTo("open");
    assertThat(line(gm, SG).getInteger("weight")).as(gm.encode()).isGreaterThan(250);
    assertThat(line(gm, SG).getJsonObject("rates").getDouble("failure")).as("Gmail's own failure rate")
        .isLessThan(0.05);
  }

  @Test
  @Order(3)
  @DisplayName("the sandbox's record: later batches send SendGrid at most a probe's share of the Microsoft recipients "
      + "and still over a quarter of the Gmail ones")
  void laterBatchesSplitByGroup() {
    Map<DomainGroup, Long> before = sandboxByGroup(SG);
    int n = 2;
    for (int i = 0; i < n; i++) {
      sendBatchAndAwaitStats();
    }
    Map<DomainGroup, Long> after = sandboxByGroup(SG);
    long microsoft = after.get(DomainGroup.MICROSOFT) - before.get(DomainGroup.MICROSOFT);
    long gmail = after.get(DomainGroup.GMAIL) - before.get(DomainGroup.GMAIL);
    log.info("SendGrid got {} of {} Microsoft and {} of {} Gmail recipients", microsoft, n * PER_GROUP, gmail,
        n * PER_GROUP);
    // Largest remainder in one chunk per batch: a probe's share rounds up by at most one.
    assertThat(microsoft).as("Microsoft recipients at SendGrid").isLessThanOrEqualTo(
        (long) n * (PER_GROUP * PROBE_POINTS / 1000 + 1));
    assertThat(gmail).as("Gmail recipients at SendGrid").isGreaterThan(n * PER_GROUP / 4);
    JsonObject ms = explain(DomainGroup.MICROSOFT);
    assertThat(gate(ms, SG)).as("still blocked, still not open: " + ms.encode()).isNotEqualTo("open");
  }

  // --- helpers

  /** SendGrid has the most points of the group (ties broken against it). */
  private static boolean leads(DomainGroup g) {
    JsonObject e = explain(g);
    int sg = line(e, SG).getInteger("weight");
    return EMAIL.stream().filter(p -> p != SG).allMatch(p -> line(e, p).getInteger("weight") < sg);
  }

  /** One batch of new Gmail and Microsoft addresses, then waits until every recipient's fate is in the stats. */
  private static void sendBatchAndAwaitStats() {
    int n = ++batches;
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < BATCH; i++) {
      String domain = i % 2 == 0 ? "gmail.com" : i % 4 == 1 ? "outlook.com" : "hotmail.com";
      recipients.add(new JsonObject().put("to", "u" + i + ".b" + n + "@" + domain)
          .put("data", new JsonObject().put("name", "U" + i)));
    }
    JsonObject body = new JsonObject().put("channel", "email").put("from", "Shop <noreply@shop.example>")
        .put("subject", "Hi {{name}}").put("html", "<p>Hi {{name}}</p>").put("priority", "normal")
        .put("recipients", recipients);
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api + "/v1/batches"))
        .header("Authorization", "Bearer " + KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    accepted += new JsonObject(r.body()).getInteger("accepted");
    awaitCondition("batch " + n + " sent", 120, () -> sandboxMessages() >= accepted);
    long sent = sandboxMessages();
    awaitCondition("every fate of batch " + n + " in the weights' windows", 120, () -> fates() >= sent);
    log.info("after batch {}: gmail {} microsoft {}", n, explain(DomainGroup.GMAIL).getJsonObject("weights").encode(),
        explain(DomainGroup.MICROSOFT).getJsonObject("weights").encode());
  }

  /** Recipients whose final fate the Gmail and Microsoft windows have counted (each recipient has exactly one). */
  private static long fates() {
    long sum = 0;
    for (DomainGroup g : List.of(DomainGroup.GMAIL, DomainGroup.MICROSOFT)) {
      JsonObject e = explain(g);
      for (ProviderName p : EMAIL) {
        JsonObject w = line(e, p).getJsonObject("window");
        for (String k : List.of("delivered", "deferred", "bounced", "bounced_recipient", "failed", "failed_recipient")) {
          sum += w.getLong(k);
        }
      }
    }
    return sum;
  }

  private static JsonObject explain(DomainGroup g) {
    return get("/v1/routing/explain?channel=email&domain_group=" + g.wire());
  }

  private static String gate(JsonObject explain, ProviderName p) {
    return line(explain, p).getJsonObject("learned").getJsonObject("gate").getString("state");
  }

  private static JsonObject line(JsonObject explain, ProviderName p) {
    for (Object o : explain.getJsonArray("providers")) {
      if (((JsonObject) o).getString("name").equals(p.wire())) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError(p.wire() + " missing from " + explain.encode());
  }

  private static JsonObject sandboxStats() {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(sandboxApi + "/sandbox/stats")).GET());
    return new JsonObject(r.body()).getJsonObject("providers");
  }

  private static long sandboxMessages() {
    JsonObject all = sandboxStats();
    return EMAIL.stream().mapToLong(p -> all.getJsonObject(p.wire()).getLong("messages")).sum();
  }

  private static Map<DomainGroup, Long> sandboxByGroup(ProviderName p) {
    JsonObject byGroup = sandboxStats().getJsonObject(p.wire()).getJsonObject("messages_by_group");
    Map<DomainGroup, Long> m = new HashMap<>();
    for (DomainGroup g : DomainGroup.values()) {
      m.put(g, byGroup.getLong(g.wire()));
    }
    return m;
  }

  private static void profile(ProviderName p, JsonObject patch) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(sandboxApi + "/sandbox/providers/" + p.wire()))
        .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(patch.encode())));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static JsonObject get(String path) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api + path))
        .header("Authorization", "Bearer " + KEY).GET());
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

  private static void awaitCondition(String what, int seconds, BooleanSupplier done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what + ": " + fates() + " fates counted, " + accepted
        + " accepted; gmail " + explain(DomainGroup.GMAIL).encode() + "; microsoft "
        + explain(DomainGroup.MICROSOFT).encode());
  }
}
