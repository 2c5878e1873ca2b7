package dev.esprouter.router.it;

import static dev.esprouter.router.it.RouterFixture.await;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.router.RouterRole;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two router processes in one consumer group split each provider's limit by their share of the partitions. */
class ScaleOutShareTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  @Test
  @DisplayName("With two routers in the group, each limits a provider to its share of the partitions; alone again, to all of it")
  void shares() {
    Map<String, String> o = Map.of("ESP_ROLES", "router", "ESP_PROVIDERS_MODE", "sandbox", "SENDGRID_RATE_PER_SEC", "100");
    EspConfig first = env.config(o);
    env.createTopics(first);
    try (RunningRoles a = RunningRoles.start(first, new RouterRole())) {
      await("one router holds every partition", 60, () -> rate(a) == 100.0);
      try (RunningRoles b = RunningRoles.start(env.config(o), new RouterRole())) {
        await("both routers hold a share", 60, () -> rate(a) < 100 && rate(b) < 100 && rate(a) + rate(b) >= 99.9
            && rate(a) + rate(b) <= 100.1);
      }
      await("the survivor takes the whole limit again", 60, () -> rate(a) == 100.0);
    }
  }

  private static double rate(RunningRoles r) {
    return r.runtime().context().services().find(ProviderHealth.class).orElseThrow().currentRate(ProviderName.SENDGRID);
  }
}
