package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code Main} as the user does, in a child JVM with the module's classpath, and checks what
 * the user sees: one-line start-up errors with a non-zero exit, readiness, a clean SIGTERM and a
 * restart that finds its data again.
 */
class MainProcessTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  @DisplayName("A bad ESP_HTTP_PORT stops start-up with one line naming the variable and a non-zero exit")
  void badPort() throws Exception {
    Result r = runToExit(Map.of("ESP_HTTP_PORT", "notaport"));
    assertThat(r.exitCode).isNotZero();
    assertThat(r.stderrLines()).containsExactly("esp-router: ESP_HTTP_PORT=notaport: not a port number");
  }

  @Test
  @DisplayName("An unknown role stops start-up with one line naming ESP_ROLES")
  void badRole() throws Exception {
    Result r = runToExit(Map.of("ESP_ROLES", "ingress,mailer"));
    assertThat(r.exitCode).isNotZero();
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).startsWith("esp-router: ESP_ROLES=ingress,mailer: unknown role 'mailer'");
  }

  @Test
  @DisplayName("PostgreSQL unreachable: one line naming host:port and the variables to set, no stack trace")
  void postgresDown() throws Exception {
    int closed = EspTestEnv.freePort();
    Result r = runToExit(Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(closed),
        "PGPASSWORD", "s3cret-not-shown"));
    assertThat(r.exitCode).isNotZero();
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0))
        .contains("PostgreSQL unreachable at 127.0.0.1:" + closed)
        .contains("DATABASE_URL")
        .doesNotContain("s3cret-not-shown");
  }

  @Test
  @DisplayName("With no Kafka configured it starts an embedded broker, gets ready, exits 0 on SIGTERM and finds its topics again")
  void lifecycle(@TempDir Path dataDir) throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      int kafkaPort = freePortPair();
      int httpPort = EspTestEnv.freePort();
      Map<String, String> env = new HashMap<>(Map.of(
          "ESP_DATA_DIR", dataDir.toString(),
          "ESP_EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort),
          "ESP_HTTP_PORT", Integer.toString(httpPort),
          "ESP_SANDBOX_PORT", Integer.toString(EspTestEnv.freePort()),
          "PGHOST", db.settings().host(),
          "PGPORT", Integer.toString(db.settings().port()),
          "PGDATABASE", db.name()));

      Process first = start(env, dataDir.resolve("first.log"));
      awaitReady(first, httpPort);
      assertThat(get(httpPort, "/health/live")).isEqualTo(200);
      assertThat(body(httpPort, "/metrics")).contains("jvm_memory_used_bytes");
      stopAndExpectZero(first);

      assertThat(Files.exists(dataDir.resolve("kafka/meta.properties"))).isTrue();
      Process second = start(env, dataDir.resolve("second.log"));
      awaitReady(second, httpPort);
      stopAndExpectZero(second);
      String log = Files.readString(dataDir.resolve("second.log"));
      assertThat(log).contains("0 migrations applied now").doesNotContain("created topics");
    }
  }

  private static void stopAndExpectZero(Process p) throws Exception {
    p.destroy(); // SIGTERM on Unix
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s").isTrue();
    assertThat(p.exitValue()).isZero();
  }

  private static void awaitReady(Process p, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("process alive while starting").isTrue();
      if (get(port, "/health/ready") == 200) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not ready within 60 s");
  }

  private static int get(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String body(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static int freePortPair() {
    for (int i = 0; i < 50; i++) {
      int p = EspTestEnv.freePort();
      if (p < 65535 && EmbeddedKafkaBroker.portProblem(p) == null) {
        return p;
      }
    }
    throw new IllegalStateException("no two adjacent free ports");
  }

  private static Process start(Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb = command(env);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  private static Result runToExit(Map<String, String> env) throws Exception {
    ProcessBuilder pb = command(env);
    Process p = pb.start();
    byte[] err = p.getErrorStream().readAllBytes();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(err, StandardCharsets.UTF_8));
  }

  private static ProcessBuilder command(Map<String, String> env) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName());
    // A clean environment: only what the test sets, plus PATH/HOME for the JVM itself.
    pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    pb.environment().putAll(env);
    return pb;
  }

  private record Result(int exitCode, String stderr) {
    List<String> stderrLines() {
      return stderr.lines().filter(l -> !l.isBlank()).toList();
    }
  }
}
