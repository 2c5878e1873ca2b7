package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.function.Supplier;

/**
 * The whole weight loop in one process for the routing tests (WeightLoopTest, DomainGroupRoutingTest):
 * ingress, router, webhooks, analytics and the sandbox posting its webhooks back, with learning weights
 * refreshed every 500 ms and probes large and soon enough for batches of a few hundred (5 %, judged
 * after 20 sends, a 1 s back-off). What each test sends and asserts stays in the test.
 */
final class LearningRouter implements AutoCloseable {

  static final List<ProviderName> EMAIL = ProviderName.of(Channel.EMAIL);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final RunningRoles roles;
  private final String key;
  private final String api;
  private final String sandboxApi;

  private LearningRouter(RunningRoles roles, String key, String sandboxApi) {
    this.roles = roles;
    this.key = key;
    this.api = roles.baseUrl();
    this.sandboxApi = sandboxApi;
  }

  static LearningRouter start(EspTestEnv env, int sandboxSeed, String apiKey) {
    int http = EspTestEnv.freePort();
    Map<String, String> o = new HashMap<>();
    o.put("ESP_ROLES", "ingress,router,webhooks,analytics,sandbox");
    o.put("ESP_HTTP_PORT", Integer.toString(http));
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_SANDBOX_WEBHOOK_BASE", "http://127.0.0.1:" + http + "/webhooks");
    o.put("ESP_SANDBOX_SEED", Integer.toString(sandboxSeed));
    o.put("ESP_SANDBOX_INSTANCES", "1");
    o.put("ESP_SANDBOX_WEBHOOK_RETRY_MS", "100");
    o.put("ESP_BOOTSTRAP_API_KEY", apiKey);
    o.put("ESP_WEIGHTS_REFRESH_MS", "500");
    o.put("ESP_ROUTING_PROBE_SHARE", "0.05");
    o.put("ESP_ROUTING_PROBE_MIN_SENDS", "20");
    o.put("ESP_ROUTING_GATE_BACKOFF_MS", "1000");
    for (ProviderName p : EMAIL) {
      o.put(p.envPrefix() + "_RATE_PER_SEC", "2000");
      o.put(p.envPrefix() + "_BURST", "500");
    }
    EspConfig config = env.config(o);
    env.createTopics(config);
    RunningRoles roles = RunningRoles.start(config, new SandboxRole(), new AnalyticsRole(), new WebhooksRole(),
        new RouterRole(), new IngressRole());
    return new LearningRouter(roles, apiKey, "http://127.0.0.1:" + config.sandbox().port());
  }

  /** POSTs a batch, asserts it was taken (202) and answers how many recipients were accepted. */
  int sendBatch(JsonObject body) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api + "/v1/batches"))
        .header("Authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return new JsonObject(r.body()).getInteger("accepted");
  }

  /** A GET of the API with the tenant's key, asserted 200. */
  JsonObject get(String path) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api + path))
        .header("Authorization", "Bearer " + key).GET());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  /** Changes a sandbox provider's profile (PUT /sandbox/providers/{name}), asserted 200. */
  void profile(ProviderName p, JsonObject patch) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(sandboxApi + "/sandbox/providers/" + p.wire()))
        .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(patch.encode())));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** The sandbox's record per provider ({@code providers} of GET /sandbox/stats). */
  JsonObject sandboxStats() {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(sandboxApi + "/sandbox/stats")).GET());
    return new JsonObject(r.body()).getJsonObject("providers");
  }

  /** {@code p}'s line in an explain answer. */
  static JsonObject line(JsonObject explain, ProviderName p) {
    for (Object o : explain.getJsonArray("providers")) {
      if (((JsonObject) o).getString("name").equals(p.wire())) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError(p.wire() + " missing from " + explain.encode());
  }

  /** {@code p}'s gate state (open, probing, cut) in an explain answer. */
  static String gate(JsonObject explain, ProviderName p) {
    return line(explain, p).getJsonObject("learned").getJsonObject("gate").getString("state");
  }

  /** Waits up to {@code seconds} for {@code done}; on time-out the error says what {@code state} shows then. */
  static void await(String what, int seconds, BooleanSupplier done, Supplier<String> state) {
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
    throw new AssertionError("timed out waiting for " + what + ": " + state.get());
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    roles.close();
  }
}
