package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar esp-router.jar} as built, with no Kafka configured: every role starts from the
 * shaded jar, the embedded broker keeps its data across a restart, SIGTERM exits 0.
 */
class PackagedJarIT {

  @Test
  @DisplayName("The jar starts an embedded broker and every role, gets ready, exits 0 on SIGTERM and finds its topics again")
  void lifecycle(@TempDir Path dataDir) throws Exception {
    Path jar = Path.of(System.getProperty("esp.jar", "target/esp-router.jar"));
    assertThat(jar).exists();
    try (TestDatabase db = TestDatabase.create()) {
      int httpPort = EspTestEnv.freePort();
      Map<String, String> env = new HashMap<>(Map.of(
          "ESP_DATA_DIR", dataDir.toString(),
          "ESP_EMBEDDED_KAFKA_PORT", Integer.toString(RouterProcess.freePortPair()),
          "ESP_HTTP_PORT", Integer.toString(httpPort),
          "ESP_SANDBOX_PORT", Integer.toString(EspTestEnv.freePort()),
          "PGHOST", db.settings().host(),
          "PGPORT", Integer.toString(db.settings().port()),
          "PGDATABASE", db.name()));

      Process first = RouterProcess.start(env, jar, dataDir.resolve("first.log"));
      RouterProcess.awaitReady(first, httpPort);
      assertThat(RouterProcess.status(httpPort, "/health/live")).isEqualTo(200);
      assertThat(RouterProcess.body(httpPort, "/metrics")).contains("jvm_memory_used_bytes");
      RouterProcess.stopAndExpectZero(first);
      String firstLog = Files.readString(dataDir.resolve("first.log"));
      for (String role : new String[] {"sandbox", "analytics", "router", "webhooks", "ingress"}) {
        assertThat(firstLog).contains("role " + role + " started");
      }

      assertThat(dataDir.resolve("kafka/meta.properties")).exists();
      Process second = RouterProcess.start(env, jar, dataDir.resolve("second.log"));
      RouterProcess.awaitReady(second, httpPort);
      RouterProcess.stopAndExpectZero(second);
      assertThat(Files.readString(dataDir.resolve("second.log")))
          .contains("0 migrations applied now").doesNotContain("created topics");
    }
  }
}
