package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.WebhookSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A running sandbox (seeded, webhooks to a {@link WebhookReceiver}, retries quick) and a client,
 * shared by a test class; every test starts from a reset sandbox with no latency and no webhook delay.
 */
abstract class SandboxHarness {

  static WebhookReceiver receiver;
  static SandboxServer sandbox;
  static Vertx clientVertx;
  static WebClient client;

  @BeforeAll
  static void startSandbox() {
    receiver = new WebhookReceiver();
    sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(42).withWebhookBase(receiver.base())
        .withWebhooks(WebhookSettings.defaults().withRetryBaseMs(50).withMaxAttempts(3)));
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx);
  }

  @AfterAll
  static void stopSandbox() {
    client.close();
    clientVertx.close().await();
    sandbox.close();
    receiver.close();
  }

  @BeforeEach
  void resetSandbox() {
    sandbox.reset();
    receiver.answerWith(200);
    awaitNoWebhooksInFlight();
    receiver.clear();
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("latency_ms", new JsonObject().put("p50", 0).put("p99", 0))
          .put("webhook_delay_ms", 0));
    }
  }

  /**
   * Webhooks posted before a reset may still be on their way; a test must not see them. The queues
   * are empty and nothing has arrived for 300 ms (a POST sent just before the reset may still be on
   * the wire when the queue already reads empty, on a busy machine).
   */
  static void awaitNoWebhooksInFlight() {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (sandbox.stats().providers().values().stream().allMatch(p -> p.webhooksPending() == 0)
          && receiver.quietNanos() > 300_000_000L) {
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("webhooks still in flight after 15 s: " + sandbox.statsJson());
  }

  /** Makes every recipient of {@code p} end the same way (odds of exactly 0 or 1). */
  static void outcomes(ProviderName p, JsonObject outcomes) {
    JsonObject all = new JsonObject().put("delivered", 0.0).put("soft_bounced", 0.0).put("bounced", 0.0)
        .put("dropped", 0.0).put("complained", 0.0).put("opened", 0.0).put("clicked", 0.0).mergeIn(outcomes);
    sandbox.configure(p, new JsonObject().put("outcomes", all));
  }

  static HttpResponse<Buffer> post(String path, Map<String, String> headers, Buffer body) {
    return request(HttpMethod.POST, path, headers, body);
  }

  static HttpResponse<Buffer> post(String path, Map<String, String> headers, JsonObject body) {
    return post(path, with(headers, "content-type", "application/json"), body.toBuffer());
  }

  static HttpResponse<Buffer> post(String path, Map<String, String> headers, JsonArray body) {
    return post(path, with(headers, "content-type", "application/json"), body.toBuffer());
  }

  static HttpResponse<Buffer> request(HttpMethod method, String path, Map<String, String> headers, Buffer body) {
    var req = client.requestAbs(method, sandbox.baseUrl() + path);
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(h::add);
    req.putHeaders(h);
    return (body == null ? req.send() : req.sendBuffer(body)).await();
  }

  static HttpResponse<Buffer> get(String path) {
    return request(HttpMethod.GET, path, Map.of(), null);
  }

  static SandboxStats.Provider stats(ProviderName p) {
    return sandbox.stats().of(p);
  }

  private static Map<String, String> with(Map<String, String> headers, String k, String v) {
    HashMap<String, String> m = new HashMap<>(headers);
    m.putIfAbsent(k, v);
    return m;
  }
}
