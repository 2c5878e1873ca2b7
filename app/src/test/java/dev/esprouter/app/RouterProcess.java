package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The router as a child process, started as a user starts it: from the module classpath
 * ({@code Main}) or from the shaded jar ({@code java -jar}), with exactly the environment given.
 */
final class RouterProcess {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private RouterProcess() {
  }

  record Result(int exitCode, String stderr) {
    List<String> stderrLines() {
      return stderr.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /** {@code jar} null: run {@code Main} from this JVM's classpath. */
  static ProcessBuilder command(Map<String, String> env, Path jar) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = jar == null
        ? new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName())
        : new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString());
    // A clean environment: only what the test sets, plus PATH/HOME for the JVM itself.
    pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    pb.environment().putAll(env);
    return pb;
  }

  static Process start(Map<String, String> env, Path jar, Path log) throws IOException {
    return command(env, jar).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static Result runToExit(Map<String, String> env) throws Exception {
    Process p = command(env, null).start();
    byte[] err = p.getErrorStream().readAllBytes();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(err, StandardCharsets.UTF_8));
  }

  static void awaitReady(Process p, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("process alive while starting").isTrue();
      if (status(port, "/health/ready") == 200) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not ready within 60 s");
  }

  static void stopAndExpectZero(Process p) throws Exception {
    p.destroy(); // SIGTERM on Unix
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited within 20 s").isTrue();
    assertThat(p.exitValue()).isZero();
  }

  static int status(int port, String path) {
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

  static String body(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** A port p with p + 1 free too (the embedded broker's controller). */
  static int freePortPair() {
    for (int i = 0; i < 50; i++) {
      int p = EspTestEnv.freePort();
      if (p < 65535 && EmbeddedKafkaBroker.portProblem(p) == null) {
        return p;
      }
    }
    throw new IllegalStateException("no two adjacent free ports");
  }
}
