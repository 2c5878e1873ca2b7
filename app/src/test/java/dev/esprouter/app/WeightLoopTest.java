package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
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
 * The whole loop of issue 6 in one process: ingress takes batches, the router splits them by the
 * learned weights and sends them to the sandbox, the sandbox posts its webhooks back to the webhooks
 * role, analytics turns them into {@code provider_stats}, and the weights the next batch gets change.
 * The tests run in order on one growing history (a fresh database for the class).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("The weight loop: sandbox outcomes → webhooks → analytics → the router's next split")
class WeightLoopTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final String KEY = "esk_live_weightloopkeyfortests000000000000000";
  private static final List<ProviderName> EMAIL = ProviderName.of(Channel.EMAIL);
  private static final int BATCH = 500;
  private static final Logger log = LoggerFactory.getLogger(WeightLoopTest.class);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static RunningRoles roles;
  private static String api;
  private static String sandboxApi;
  private static int batches;
  private static long accepted;
  private static double priorScore;

  @BeforeAll
  static void start() {
    int http = EspTestEnv.freePort();
    Map<String, String> o = new HashMap<>();
    o.put("ESP_ROLES", "ingress,router,webhooks,analytics,sandbox");
    o.put("ESP_HTTP_PORT", Integer.toString(http));
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_SANDBOX_WEBHOOK_BASE", "http://127.0.0.1:" + http + "/webhooks");
    o.put("ESP_SANDBOX_SEED", "6");
    o.put("ESP_SANDBOX_INSTANCES", "1");
    o.put("ESP_SANDBOX_WEBHOOK_RETRY_MS", "100");
    o.put("ESP_BOOTSTRAP_API_KEY", KEY);
    o.put("ESP_WEIGHTS_REFRESH_MS", "500");
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
    // Same engagement everywhere and only the failures under test: latency and webhook delays short.
    for (ProviderName p : EMAIL) {
      profile(p, new JsonObject().put("latency_ms", new JsonObject().put("p50", 2).put("p99", 10))
          .put("webhook_delay_ms", 100)
          .put("outcomes", outcomes(0.01, 0.0)));
    }
    // SparkPost sends but reports nothing: the provider without data among providers with data.
    profile(ProviderName.SPARKPOST, new JsonObject().put("webhooks", false));
  }

  @AfterAll
  static void stop() {
    if (roles != null) {
      roles.close();
    }
  }

  /** Provider-side blocks and recipient-side bounces at the given rates; 20% opens, 3% clicks, no complaints. */
  private static JsonObject outcomes(double blocked, double bounced) {
    return new JsonObject().put("blocked", blocked).put("bounced", bounced).put("soft_bounced", 0.0)
        .put("dropped", 0.0).put("complained", 0.0).put("opened", 0.2).put("clicked", 0.03);
  }

  @Test
  @Order(1)
  @DisplayName("with no data every provider sits at the priors' rates and gets its prior share (250 of 1000 each)")
  void priorShare() {
    JsonObject explain = explain();
    priorScore = line(explain, ProviderName.SENDGRID).getDouble("score");
    for (ProviderName p : EMAIL) {
      assertThat(line(explain, p).getInteger("weight")).as(p.wire()).isEqualTo(250);
      assertAtPriors(explain, p);
    }
  }

  @Test
  @Order(2)
  @DisplayName("20% provider-side blocks on SendGrid sink its weight within a few batches; "
      + "20% recipient-side bounces on Postmark do not lower Postmark's")
  void providerSideBlocksSinkTheWeight() {
    profile(ProviderName.SENDGRID, new JsonObject().put("outcomes", outcomes(0.2, 0.0)));
    profile(ProviderName.POSTMARK, new JsonObject().put("outcomes", outcomes(0.01, 0.2)));
    int used = 0;
    JsonObject explain;
    do {
      sendBatchAndAwaitStats();
      used++;
      explain = explain();
    } while (used < 6 && !sunk(explain));

    assertThat(used).as("batches of %d until SendGrid is below half of the clean providers' weights", BATCH)
        .isLessThanOrEqualTo(5);
    int sendgrid = weight(explain, ProviderName.SENDGRID);
    assertThat(sunk(explain)).as("SendGrid below half of Postmark and SocketLabs: %s", explain.encode()).isTrue();
    JsonObject sg = line(explain, ProviderName.SENDGRID);
    assertThat(sg.getJsonObject("window").getLong("bounced")).as("SendGrid's blocks counted provider-side")
        .isGreaterThan(10);
    assertThat(sg.getJsonObject("window").getLong("bounced_recipient")).isZero();
    assertThat(sendgrid).as("the exploration floor keeps SendGrid measured").isGreaterThanOrEqualTo(50);

    // Recipient-side: Postmark bounces as often as SendGrid is blocked, but its bounces are counted
    // apart, stay out of its failure rate, and leave it with the clean providers.
    JsonObject pm = line(explain, ProviderName.POSTMARK);
    JsonObject w = pm.getJsonObject("window");
    long recipientSide = w.getLong("bounced_recipient");
    long providerSide = w.getLong("bounced") + w.getLong("failed");
    long resolved = w.getLong("delivered") + providerSide;
    assertThat(recipientSide).as("Postmark's recipient-side bounces arrived")
        .isGreaterThan((resolved + recipientSide) / 8);
    JsonObject prior = explain.getJsonObject("parameters").getJsonObject("priors").getJsonObject("failure");
    double strength = prior.getDouble("strength");
    assertThat(pm.getJsonObject("rates").getDouble("failure")).as("Postmark's failure rate, provider-side only")
        .isCloseTo((providerSide + prior.getDouble("mean") * strength) / (resolved + strength), within(1e-5))
        .isLessThan(0.05);
    assertThat(weight(explain, ProviderName.POSTMARK)).as("Postmark with the clean providers: %s", explain.encode())
        .isGreaterThanOrEqualTo((int) (0.75 * weight(explain, ProviderName.SOCKETLABS)))
        .isGreaterThan(2 * weight(explain, ProviderName.SENDGRID));
  }

  /** SendGrid below half of each provider with data and 1% provider-side failures. */
  private static boolean sunk(JsonObject explain) {
    int sendgrid = weight(explain, ProviderName.SENDGRID);
    return sendgrid < weight(explain, ProviderName.POSTMARK) / 2
        && sendgrid < weight(explain, ProviderName.SOCKETLABS) / 2;
  }

  @Test
  @Order(3)
  @DisplayName("restored to 1%, SendGrid keeps getting traffic through the exploration floor and climbs back")
  void restoredProviderWinsTrafficBack() {
    profile(ProviderName.SENDGRID, new JsonObject().put("outcomes", outcomes(0.01, 0.0)));
    int before = weight(explain(), ProviderName.SENDGRID);
    long sentBefore = sandboxMessages(ProviderName.SENDGRID);
    JsonObject explain = explain();
    for (int i = 0; i < 8 && !recovered(explain, before); i++) {
      sendBatchAndAwaitStats();
      explain = explain();
    }
    assertThat(sandboxMessages(ProviderName.SENDGRID) - sentBefore).as("SendGrid still got traffic")
        .isGreaterThan(0);
    assertThat(weight(explain, ProviderName.SENDGRID)).as("SendGrid's weight after the restore (was %d): %s", before,
        explain.encode()).isGreaterThanOrEqualTo(before + 30)
        .isGreaterThanOrEqualTo(weight(explain, ProviderName.SOCKETLABS) / 2);
  }

  /** Up by 30 points and no longer below half of a clean provider's weight (what sank it in the test before). */
  private static boolean recovered(JsonObject explain, int before) {
    int now = weight(explain, ProviderName.SENDGRID);
    return now >= before + 30 && now >= weight(explain, ProviderName.SOCKETLABS) / 2;
  }

  @Test
  @Order(4)
  @DisplayName("a provider with no data among providers with data is scored on the priors, between bad and good")
  void noDataMeansPriorShare() {
    JsonObject explain = explain();
    JsonObject sp = line(explain, ProviderName.SPARKPOST);
    assertThat(sandboxMessages(ProviderName.SPARKPOST)).as("SparkPost was sent to").isGreaterThan(0);
    assertAtPriors(explain, ProviderName.SPARKPOST);
    assertThat(sp.getDouble("score")).isCloseTo(priorScore, within(1e-6));
    // Its share is the floor plus its prior score's part of the rest, like every other provider's.
    double floor = explain.getJsonObject("parameters").getDouble("exploration_floor");
    double sum = 0;
    for (ProviderName p : EMAIL) {
      sum += line(explain, p).getDouble("score");
    }
    assertThat(sp.getDouble("share")).isCloseTo(floor + (1 - EMAIL.size() * floor) * priorScore / sum, within(1e-4));
    assertThat(weight(explain, ProviderName.SPARKPOST)).as(explain.encode())
        .isLessThan(weight(explain, ProviderName.SOCKETLABS))
        .isGreaterThan(weight(explain, ProviderName.SENDGRID));
  }

  private static void assertAtPriors(JsonObject explain, ProviderName p) {
    JsonObject priors = explain.getJsonObject("parameters").getJsonObject("priors");
    JsonObject rates = line(explain, p).getJsonObject("rates");
    for (String r : List.of("failure", "complaint", "deferral", "open", "click")) {
      assertThat(rates.getDouble(r)).as(p.wire() + " " + r)
          .isCloseTo(priors.getJsonObject(r).getDouble("mean"), within(1e-6));
    }
  }

  // --- helpers

  /** One batch of new addresses through the API, then waits until every recipient's fate is in the stats. */
  private static void sendBatchAndAwaitStats() {
    int n = ++batches;
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < BATCH; i++) {
      recipients.add(new JsonObject().put("to", "u" + i + "@b" + n + ".loop.example")
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
    awaitCondition("batch " + n + " sent", 60, () -> EMAIL.stream().mapToLong(WeightLoopTest::sandboxMessages).sum()
        >= accepted);
    long reported = EMAIL.stream().filter(p -> p != ProviderName.SPARKPOST).mapToLong(WeightLoopTest::sandboxMessages)
        .sum();
    awaitCondition("every reported fate of batch " + n + " in the weights' window", 60, () -> fates() >= reported);
    JsonObject e = explain();
    log.info("after batch {}: weights {}", n, e.getJsonObject("weights").encode());
  }

  /** Recipients whose final fate the email window has counted (each recipient has exactly one). */
  private static long fates() {
    long sum = 0;
    for (ProviderName p : EMAIL) {
      JsonObject w = line(explain(), p).getJsonObject("window");
      for (String k : List.of("delivered", "deferred", "bounced", "bounced_recipient", "failed", "failed_recipient")) {
        sum += w.getLong(k);
      }
    }
    return sum;
  }

  private static JsonObject explain() {
    return get("/v1/routing/explain?channel=email");
  }

  private static JsonObject line(JsonObject explain, ProviderName p) {
    for (Object o : explain.getJsonArray("providers")) {
      if (((JsonObject) o).getString("name").equals(p.wire())) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError(p.wire() + " missing from " + explain.encode());
  }

  private static int weight(JsonObject explain, ProviderName p) {
    return line(explain, p).getInteger("weight");
  }

  private static long sandboxMessages(ProviderName p) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(sandboxApi + "/sandbox/stats")).GET());
    return new JsonObject(r.body()).getJsonObject("providers").getJsonObject(p.wire()).getLong("messages");
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

  private static void awaitCondition(String what, int seconds, java.util.function.BooleanSupplier done) {
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
        + " accepted; " + explain().encode());
  }
}
