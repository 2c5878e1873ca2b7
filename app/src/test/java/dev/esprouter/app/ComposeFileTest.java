package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The deployment in docker/ keeps its data and starts only when configured: read as YAML here (no
 * Docker engine on this machine), and checked by docker-compose itself where it is installed.
 */
class ComposeFileTest {

  private static final Path DOCKER = Path.of("..", "docker");
  private static final Path COMPOSE = DOCKER.resolve("compose.yaml");
  /** An exact release: major.minor at least (postgres:16.11, apache/kafka:4.2.0, v3.5.0), never "latest" or "16". */
  private static final Pattern EXACT_TAG = Pattern.compile("v?\\d+\\.\\d+(\\.\\d+)?([._-][A-Za-z0-9._-]+)?");

  private static JsonNode services() throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile()).get("services");
  }

  @Test
  @DisplayName("Every service has a healthcheck")
  void healthchecks() throws IOException {
    List<String> without = new ArrayList<>();
    services().fields().forEachRemaining(e -> {
      JsonNode test = e.getValue().path("healthcheck").path("test");
      if (!test.isArray() || test.isEmpty()) {
        without.add(e.getKey());
      }
    });
    assertThat(without).as("services without a healthcheck").isEmpty();
  }

  @Test
  @DisplayName("Every image, in compose.yaml and the Dockerfile, is pinned to an exact release")
  void imagesPinned() throws IOException {
    List<String> images = new ArrayList<>();
    services().forEach(s -> {
      if (s.has("image")) {
        images.add(s.get("image").asText());
      }
    });
    Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(Files.readString(DOCKER.resolve("Dockerfile")));
    while (from.find()) {
      images.add(from.group(1));
    }
    assertThat(images).hasSizeGreaterThanOrEqualTo(6);
    assertThat(images).allSatisfy(image -> {
      int colon = image.lastIndexOf(':');
      assertThat(colon).as("%s has a tag", image).isPositive();
      assertThat(image.substring(colon + 1)).as("tag of %s", image).matches(EXACT_TAG);
    });
  }

  @Test
  @DisplayName("Kafka's log dir is the mounted volume, so topics and offsets survive `down`")
  void kafkaLogDirOnVolume() throws IOException {
    JsonNode kafka = services().get("kafka");
    String logDirs = kafka.path("environment").path("KAFKA_LOG_DIRS").asText("");
    assertThat(logDirs).as("KAFKA_LOG_DIRS").isNotEmpty();
    List<String> mounted = new ArrayList<>();
    kafka.path("volumes").forEach(v -> mounted.add(v.asText().split(":")[1]));
    assertThat(mounted).contains(logDirs);
  }

  @Test
  @DisplayName("The admin token has no default: compose requires ESP_ADMIN_TOKEN with a message saying so")
  void adminTokenRequired() throws IOException {
    String token = services().get("esp-router").path("environment").path("ESP_ADMIN_TOKEN").asText();
    assertThat(token).startsWith("${ESP_ADMIN_TOKEN:?set ESP_ADMIN_TOKEN");
  }

  @Test
  @DisplayName("docker-compose config refuses to render without ESP_ADMIN_TOKEN and renders with it")
  void dockerComposeConfig() throws Exception {
    List<String> compose = composeCommand();
    Assumptions.assumeTrue(compose != null,
        "SKIPPED LOUDLY: neither docker-compose nor `docker compose` is installed; .ci/run installs docker-compose");

    Run without = run(compose, null);
    assertThat(without.exit).as("exit without ESP_ADMIN_TOKEN").isNotZero();
    assertThat(without.output).contains("set ESP_ADMIN_TOKEN");

    Run with = run(compose, "test-admin-token-0123456789");
    assertThat(with.exit).as("exit with ESP_ADMIN_TOKEN, output:%n%s", with.output).isZero();
    assertThat(with.output)
        .contains("ESP_ADMIN_TOKEN: test-admin-token-0123456789")
        .contains("KAFKA_LOG_DIRS: /var/lib/kafka/data")
        .contains("condition: service_healthy");
  }

  private static List<String> composeCommand() throws InterruptedException {
    for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
      List<String> version = new ArrayList<>(candidate);
      version.add("version");
      try {
        Process p = new ProcessBuilder(version).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
        p.destroyForcibly();
      } catch (IOException notInstalled) {
        // try the next spelling
      }
    }
    return null;
  }

  private record Run(int exit, String output) {}

  private static Run run(List<String> compose, String adminToken) throws Exception {
    List<String> cmd = new ArrayList<>(compose);
    cmd.addAll(List.of("-f", COMPOSE.toString(), "config"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("ESP_ADMIN_TOKEN");
    if (adminToken != null) {
      env.put("ESP_ADMIN_TOKEN", adminToken);
    }
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("docker-compose config finished").isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
