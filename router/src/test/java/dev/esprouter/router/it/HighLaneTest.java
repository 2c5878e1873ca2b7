package dev.esprouter.router.it;

import static dev.esprouter.router.it.RouterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.router.it.ProviderStandIn.Mode;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A high-priority message is never stuck behind low-priority work: not behind in-flight slots that
 * a campaign fills (the last slots are the high lane's), and not behind row locks that other
 * chunks' record statements hold (the shared per-provider counters are written apart from them).
 */
class HighLaneTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static ProviderStandIn providers;
  private static RunningRoles router;
  private static RouterFixture fixture;

  @BeforeAll
  static void start() {
    providers = new ProviderStandIn();
    Map<String, String> o = new HashMap<>(providers.baseUrls());
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_ROLES", "router,analytics");
    o.put("ESP_ROUTING_WEIGHTS", "fixed");
    // Four slots, one of them the high lane's; a held provider request keeps its slot for a minute.
    o.put("ESP_ROUTER_MAX_IN_FLIGHT", "4");
    o.put("ESP_ROUTER_HIGH_RESERVED_IN_FLIGHT", "1");
    o.put("ESP_PROVIDER_REQUEST_TIMEOUT_MS", "60000");
    o.put("ESP_PROVIDER_FIRST_BYTE_TIMEOUT_MS", "60000");
    EspConfig config = env.config(o);
    env.createTopics(config);
    router = RunningRoles.start(config, new RouterRole(), new AnalyticsRole());
    fixture = new RouterFixture(config);
  }

  @AfterAll
  static void stop() {
    providers.release();
    fixture.close();
    router.close();
    providers.close();
  }

  @Test
  @DisplayName("A high-priority message is routed while low-priority chunks fill every other in-flight slot")
  void reservedSlot() {
    for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
      providers.mode(p, Mode.HOLD);
    }
    List<SendChunk> low = RouterFixture.batch("ten_low", Channel.EMAIL, RouterFixture.email(), Priority.LOW, 3000, null);
    low.forEach(fixture::publish);
    String batch = low.get(0).batchId();
    // Low chunks take the slots they may (their provider calls held), the rest wait for a slot.
    await("low chunks' calls made", 30, () -> Statuses.inFlight(env, batch) >= 1500);
    // A grace period for what must not happen (no condition to wait on): without the reservation a
    // fourth low chunk would take the last slot now, and the single below would wait behind it.
    sleep(1000);

    SendChunk single = telegramSingle();
    fixture.publish(single);
    await("the high-priority message sent", 20, () -> "sent".equals(status(single)));
    // Three chunks of 500 in flight: every slot but the high lane's.
    assertThat(Statuses.inFlight(env, batch)).isEqualTo(1500);
    assertThat(Statuses.inBatch(env, batch, "sent")).isZero();

    for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
      providers.mode(p, Mode.OK);
    }
    providers.release();
    await("the low batch sent", 60, () -> Statuses.inBatch(env, batch, "sent") == 3000);
  }

  @Test
  @DisplayName("A high-priority message is sent and its ledger written while the status writer's tables are locked: "
      + "the router shares no row with it")
  void statusTablesLocked() throws Exception {
    SendChunk single = telegramSingle();
    try (Connection c = TestDatabase.connect(env.database().settings()); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("lock table provider_stats, message_status in share row exclusive mode");
      fixture.publish(single);
      await("the high-priority message's call answered while the status tables are locked", 20,
          () -> count("select count(*) from send_calls where chunk_key = '" + single.ledgerKey()
              + "' and results = 'a'") == 1);
      assertThat(status(single)).isNull();
      c.rollback();
    }
    await("its status written once the lock is gone", 10, () -> "sent".equals(status(single)));
    await("its sent counter written once the lock is gone", 10,
        () -> count("select coalesce(sum(sent), 0) from provider_stats where provider = 'telegram'") >= 1);
  }

  private static SendChunk telegramSingle() {
    Content text = new Content(null, null, null, null, "Your code is 1234", null, null);
    return RouterFixture.batch("ten_vip", Channel.TELEGRAM, text, Priority.HIGH, 1, null).get(0);
  }

  private static String status(SendChunk chunk) {
    return Statuses.of(env, chunk.recipients().get(0).messageId());
  }

  private static long count(String sql) {
    return env.database().count(sql);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
