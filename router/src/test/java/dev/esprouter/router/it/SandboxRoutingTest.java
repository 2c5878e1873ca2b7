package dev.esprouter.router.it;

import static dev.esprouter.router.it.RouterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The router against the shared sandbox (the six providers' real paths, auth, limits and shapes). */
class SandboxRoutingTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static SandboxServer sandbox;
  private static RunningRoles router;
  private static RouterFixture fixture;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(7));
    quiet();
    EspConfig config = env.config(routerConfig(sandbox));
    env.createTopics(config);
    router = RunningRoles.start(config, new RouterRole(), new AnalyticsRole());
    fixture = new RouterFixture(config);
  }

  static Map<String, String> routerConfig(SandboxServer sandbox) {
    Map<String, String> o = new HashMap<>();
    for (ProviderName p : ProviderName.values()) {
      o.put(p.envPrefix() + "_BASE_URL", sandbox.baseUrl(p));
      o.put(p.envPrefix() + "_RATE_PER_SEC", "2000");
      o.put(p.envPrefix() + "_BURST", "200");
    }
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_ROLES", "router,analytics");
    o.put("ESP_ROUTING_WEIGHTS", "fixed");
    o.put("ESP_PRIOR_WEIGHTS_EMAIL", "sendgrid:350,postmark:300,socketlabs:200,sparkpost:150");
    o.put("ESP_BREAKER_RESET_MS", "500");
    o.put("ESP_BREAKER_MIN_CALLS", "3");
    o.put("ESP_BREAKER_WINDOW_MS", "2000");
    o.put("ESP_RETRY_BASE_MS", "50");
    o.put("ESP_RETRY_CAP_MS", "500");
    return o;
  }

  /** No webhook receiver runs in these tests. */
  private static void quiet() {
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("webhooks", false));
    }
  }

  @AfterAll
  static void stop() {
    fixture.close();
    router.close();
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.reset();
    quiet();
  }

  @Test
  @DisplayName("A 10k batch reaches the sandbox providers by weight, nothing lost, zero duplicates in the sandbox record")
  void tenThousand() {
    List<SendChunk> chunks = RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL, 10_000, null);
    chunks.forEach(fixture::publish);
    String batch = chunks.get(0).batchId();
    await("10k sent", 90, () -> sent(batch) == 10_000);
    assertThat(emailAccepted(sandbox)).isEqualTo(10_000);
    assertThat(emailDuplicates(sandbox)).isZero();
    // 20 full chunks: each provider got exactly its share of 500 (e.g. 350 ‰ → 175 a chunk).
    assertThat(sandbox.stats().of(ProviderName.SENDGRID).messages()).isEqualTo(3500);
    assertThat(sandbox.stats().of(ProviderName.POSTMARK).messages()).isEqualTo(3000);
    assertThat(sandbox.stats().of(ProviderName.SOCKETLABS).messages()).isEqualTo(2000);
    assertThat(sandbox.stats().of(ProviderName.SPARKPOST).messages()).isEqualTo(1500);
  }

  @Test
  @DisplayName("Postmark down: its breaker opens, the others take its share, all arrive; back up, it gets traffic again")
  void downAndBack() {
    sandbox.configure(ProviderName.POSTMARK, new JsonObject().put("down", true));
    List<SendChunk> chunks = RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL, 5_000, null);
    chunks.forEach(fixture::publish);
    String batch = chunks.get(0).batchId();
    await("5k sent", 90, () -> sent(batch) == 5_000);
    assertThat(sandbox.stats().of(ProviderName.POSTMARK).messages()).isZero();
    assertThat(health().breaker(ProviderName.POSTMARK)).isNotEqualTo(ProviderHealth.Breaker.CLOSED);
    assertThat(env.database().count("select count(*) from message_status where batch_id = '" + batch
        + "' and provider = 'postmark'")).isZero();

    sandbox.configure(ProviderName.POSTMARK, new JsonObject().put("down", false));
    await("postmark accepts again", 30, () -> {
      RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL, 200, null)
          .forEach(fixture::publish);
      sleepQuietly(300);
      return sandbox.stats().of(ProviderName.POSTMARK).messages() > 0;
    });
    await("postmark breaker closed", 10, () -> health().breaker(ProviderName.POSTMARK) == ProviderHealth.Breaker.CLOSED);
  }

  @Test
  @DisplayName("WhatsApp and Telegram go one message a call with the router id where the provider carries one")
  void oneByOne() {
    var text = new dev.esprouter.common.Content(null, null, null, null, "Hi {{name}}", null, null);
    List<SendChunk> wa = RouterFixture.batch("ten_a", Channel.WHATSAPP, text, Priority.HIGH, 50, null);
    List<SendChunk> tg = RouterFixture.batch("ten_a", Channel.TELEGRAM, text, Priority.HIGH, 50, null);
    fixture.publish(wa.get(0));
    fixture.publish(tg.get(0));
    await("100 sent", 60, () -> sent(wa.get(0).batchId()) + sent(tg.get(0).batchId()) == 100);
    assertThat(sandbox.stats().of(ProviderName.META).messages()).isEqualTo(50);
    assertThat(sandbox.stats().of(ProviderName.META).duplicates()).isZero();
    assertThat(sandbox.stats().of(ProviderName.TELEGRAM).messages()).isEqualTo(50);
    assertThat(env.database().count("select count(*) from message_status where batch_id = '" + wa.get(0).batchId()
        + "' and provider_message_id like 'wamid.%'")).isEqualTo(50);
  }

  @Test
  @DisplayName("A high-priority message is sent while a 20k low-priority batch is still draining")
  void highWhileLowDrains() {
    List<SendChunk> low = RouterFixture.batch("ten_big", Channel.EMAIL, RouterFixture.email(), Priority.LOW, 20_000, null);
    low.forEach(fixture::publish);
    String batch = low.get(0).batchId();
    await("low batch draining", 60, () -> sent(batch) >= 1000);
    SendChunk single = RouterFixture.batch("ten_small", Channel.EMAIL, RouterFixture.email(), Priority.HIGH, 1, null).get(0);
    SendChunk high = new SendChunk(null, "ten_small", 0, 1, Channel.EMAIL, Priority.HIGH, null, null, null, 0,
        single.content(), single.recipients(), single.acceptedAt(), null);
    fixture.publish(high);
    String id = high.recipients().get(0).messageId();
    await("high sent", 30, () -> "sent".equals(Statuses.of(env, id)));
    assertThat(sent(batch)).isLessThan(20_000);
    await("low batch done", 120, () -> sent(batch) == 20_000);
  }

  private static ProviderHealth health() {
    return router.runtime().context().services().find(ProviderHealth.class).orElseThrow();
  }

  private static long sent(String batch) {
    return Statuses.inBatch(env, batch, "sent");
  }

  /** Recipients the four email providers accepted, per the sandbox record. */
  static long emailAccepted(SandboxServer sandbox) {
    return ProviderName.of(Channel.EMAIL).stream().mapToLong(p -> sandbox.stats().of(p).messages()).sum();
  }

  static long emailDuplicates(SandboxServer sandbox) {
    return ProviderName.of(Channel.EMAIL).stream().mapToLong(p -> sandbox.stats().of(p).duplicates()).sum();
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
