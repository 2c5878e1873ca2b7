package dev.esprouter.router.it;

import static dev.esprouter.router.it.RouterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A router process dies mid-batch (no graceful stop, no final commit) and another takes over. */
class RouterRestartTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  @Test
  @DisplayName("Killed mid-batch and restarted: every recipient arrives, duplicates at most the recipients in flight at the kill")
  void killAndRestart() throws Exception {
    try (SandboxServer sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(11))) {
      for (ProviderName p : ProviderName.values()) {
        sandbox.configure(p, new JsonObject().put("webhooks", false)
            .put("latency_ms", new JsonObject().put("p50", 150).put("p99", 300)));
      }
      EspConfig config = env.config(SandboxRoutingTest.routerConfig(sandbox));
      env.createTopics(config);
      List<SendChunk> chunks = RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL,
          20_000, null);
      String batch = chunks.get(0).batchId();
      RunningRoles first = RunningRoles.start(config, new RouterRole(), new AnalyticsRole());
      try (RouterFixture fixture = new RouterFixture(config)) {
        chunks.forEach(fixture::publish);
        await("part of the batch sent", 60, () -> sent(batch) >= 3000);
      }
      // A crash: the Vert.x instance goes away without the role's stop (no drain, no final commit).
      first.vertx().close().await(30, TimeUnit.SECONDS);
      long inFlightAtKill = Statuses.inFlight(env, batch);
      assertThat(sent(batch)).isLessThan(20_000);

      try (RunningRoles second = RunningRoles.start(config, new RouterRole(), new AnalyticsRole())) {
        await("all 20k sent after the restart", 120, () -> sent(batch) == 20_000);
      }
      long accepted = SandboxRoutingTest.emailAccepted(sandbox);
      long duplicates = SandboxRoutingTest.emailDuplicates(sandbox);
      System.out.printf("restart: in flight at kill %d, duplicates %d, accepted %d%n", inFlightAtKill, duplicates, accepted);
      assertThat(accepted - duplicates).isEqualTo(20_000);
      assertThat(duplicates).isLessThanOrEqualTo(inFlightAtKill);
    }
  }

  private static long sent(String batch) {
    return Statuses.inBatch(env, batch, "sent");
  }
}
