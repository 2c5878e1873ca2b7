package dev.esprouter.router.it;

import static dev.esprouter.router.it.RouterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.common.Channel;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One provider never holds back the others (issue 10): a bulk drain with high-priority singles
 * beside it, while the sandbox throttles, hangs or refuses providers. Every recipient arrives, none
 * twice, every single is sent, and the faulty provider's share moves to the others. How fast is
 * measured by {@code bench/.../router/FaultScenariosBench}, not here.
 */
class ProviderIsolationTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static SandboxServer sandbox;
  private static RunningRoles router;
  private static RouterFixture fixture;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(17));
    Map<String, String> o = SandboxRoutingTest.routerConfig(sandbox);
    o.put("ESP_PROVIDER_FIRST_BYTE_TIMEOUT_MS", "1000");
    o.put("ESP_PROVIDER_REQUEST_TIMEOUT_MS", "3000");
    o.put("ESP_BREAKER_RESET_MS", "2000");
    EspConfig config = env.config(o);
    env.createTopics(config);
    router = RunningRoles.start(config, new RouterRole(), new AnalyticsRole());
    fixture = new RouterFixture(config);
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
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("webhooks", false));
    }
  }

  @AfterEach
  void heal() {
    for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
      sandbox.configure(p, new JsonObject().put("hang", false).put("down", false).put("throttle_after_per_sec", 0));
    }
  }

  /** Drains {@code n} bulk recipients with a high-priority single every 200 ms; returns the singles' message ids. */
  private static List<String> drainWithSingles(int n, String[] batchOut) {
    List<SendChunk> bulk = RouterFixture.batch("ten_bulk", Channel.EMAIL, RouterFixture.email(), Priority.LOW, n, null);
    batchOut[0] = bulk.get(0).batchId();
    List<String> singles = java.util.Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    ticker.scheduleAtFixedRate(() -> {
      SendChunk s = RouterFixture.batch("ten_vip", Channel.EMAIL, RouterFixture.email(), Priority.HIGH, 1, null).get(0);
      SendChunk single = new SendChunk(null, "ten_vip", 0, 1, Channel.EMAIL, Priority.HIGH, null, null, null, 0,
          s.content(), s.recipients(), s.acceptedAt(), null);
      fixture.publish(single);
      singles.add(single.recipients().get(0).messageId());
    }, 0, 200, TimeUnit.MILLISECONDS);
    try {
      bulk.forEach(fixture::publish);
      await("the bulk drained", 180, () -> Statuses.inBatch(env, batchOut[0], "sent") == n);
    } finally {
      ticker.shutdownNow();
    }
    return new ArrayList<>(singles);
  }

  private static void assertSinglesSent(List<String> singles) {
    await("every single sent", 60, () -> singles.stream().allMatch(id -> "sent".equals(Statuses.of(env, id))));
  }

  @Test
  @DisplayName("The highest-weight provider 429-storming: its share moves to the others, everything arrives once")
  void throttled() {
    sandbox.configure(ProviderName.SENDGRID, new JsonObject().put("throttle_after_per_sec", 1).put("retry_after_s", 2));
    String[] batch = new String[1];
    List<String> singles = drainWithSingles(5_000, batch);
    assertSinglesSent(singles);
    assertThat(sandbox.stats().duplicates()).isZero();
    // Its weight was 35 %; throttled to a call a second it carried a small part of the drain.
    assertThat(sandbox.stats().of(ProviderName.SENDGRID).messages()).isLessThan(1_750);
  }

  @Test
  @DisplayName("A provider that hangs costs one first-byte timeout, then its breaker opens; everything arrives once")
  void hanging() {
    sandbox.configure(ProviderName.POSTMARK, new JsonObject().put("hang", true));
    String[] batch = new String[1];
    List<String> singles = drainWithSingles(5_000, batch);
    assertSinglesSent(singles);
    assertThat(sandbox.stats().of(ProviderName.POSTMARK).messages()).isZero();
    assertThat(sandbox.stats().duplicates()).isZero();
  }

  @Test
  @DisplayName("SparkPost down, Postmark hanging and SendGrid throttled at once: every recipient arrives, none twice")
  void threeFaults() {
    sandbox.configure(ProviderName.SPARKPOST, new JsonObject().put("down", true));
    sandbox.configure(ProviderName.POSTMARK, new JsonObject().put("hang", true));
    sandbox.configure(ProviderName.SENDGRID, new JsonObject().put("throttle_after_per_sec", 1).put("retry_after_s", 2));
    String[] batch = new String[1];
    List<String> singles = drainWithSingles(3_000, batch);
    assertSinglesSent(singles);
    assertThat(sandbox.stats().duplicates()).isZero();
    assertThat(sandbox.stats().of(ProviderName.SOCKETLABS).messages()).isGreaterThan(1_500);
  }
}
