package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /metrics} of the app as a user runs it ({@code Main} in a child process, every role, the
 * built-in sandbox): what a scrape shows before any traffic, and after a short real run what the
 * Grafana dashboard of {@code docker/grafana/dashboards} reads.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("/metrics: HELP on every esp_ metric, counters from the start, no sandbox routes, every Grafana query's series")
class MetricsExpositionTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final String KEY = "esk_live_metricsexpositionkey000000000000000";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s");
  private static final List<String> SANDBOX_PREFIXES = List.of("/sandbox", "/sendgrid", "/postmark", "/socketlabs",
      "/sparkpost", "/meta", "/telegram");

  private static Process app;
  private static Path log;
  private static int port;
  private static String firstScrape;

  @BeforeAll
  static void start() throws Exception {
    port = EspTestEnv.freePort();
    Map<String, String> e = new HashMap<>(env.database().connectionEnv());
    e.put("KAFKA_BOOTSTRAP_SERVERS", env.bootstrapServers());
    e.put("ESP_KAFKA_TOPIC_PREFIX", env.topicPrefix());
    e.put("ESP_KAFKA_PARTITIONS", "3");
    e.put("ESP_HTTP_PORT", Integer.toString(port));
    e.put("ESP_HTTP_INSTANCES", "1");
    e.put("ESP_SANDBOX_PORT", Integer.toString(EspTestEnv.freePort()));
    e.put("ESP_SANDBOX_WEBHOOK_BASE", "http://127.0.0.1:" + port + "/webhooks");
    e.put("ESP_SANDBOX_SEED", "15");
    e.put("ESP_BOOTSTRAP_API_KEY", KEY);
    e.put("ESP_DLQ_DEPTH_REFRESH_MS", "500");
    log = Files.createTempFile("esp-metrics", ".log");
    app = RouterProcess.start(e, null, log);
    RouterProcess.awaitReady(app, port);
    firstScrape = RouterProcess.body(port, "/metrics");
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.destroy();
      app.waitFor();
    }
  }

  @Test
  @Order(1)
  @DisplayName("every esp_ metric family has a HELP text")
  void help() {
    Set<String> types = new TreeSet<>();
    Map<String, String> help = new TreeMap<>();
    for (String line : firstScrape.split("\n")) {
      if (line.startsWith("# TYPE esp_")) {
        types.add(line.split(" ")[2]);
      } else if (line.startsWith("# HELP esp_")) {
        String[] parts = line.split(" ", 4);
        help.put(parts[2], parts.length > 3 ? parts[3].trim() : "");
      }
    }
    assertThat(types).as("esp_ families").hasSizeGreaterThan(20);
    List<String> missing = types.stream().filter(t -> help.getOrDefault(t, "").isEmpty()).toList();
    assertThat(missing).as("esp_ families without HELP text").isEmpty();
  }

  @Test
  @Order(2)
  @DisplayName("counters and the DLQ depth exist before the first event, with each bounded label value at 0")
  void preRegistered() throws Exception {
    Map<String, Double> before = samples(firstScrape);
    for (String series : List.of(
        "esp_ingress_recipients_rejected_total{code=\"invalid_recipient\"}",
        "esp_ingress_recipients_rejected_total{code=\"suppressed\"}",
        "esp_ingress_messages_accepted_total{channel=\"telegram\",priority=\"low\"}",
        "esp_ingress_kafka_failures_total{kind=\"batch\"}",
        "esp_provider_requests_total{outcome=\"throttled\",provider=\"meta\"}",
        "esp_provider_recipients_total{outcome=\"rejected\",provider=\"sparkpost\"}",
        "esp_router_retries_total",
        "esp_dlq_messages_total",
        "esp_analytics_events_total{provider=\"telegram\",type=\"complained\"}",
        "esp_webhook_requests_total{provider=\"postmark\",result=\"forged\"}")) {
      assertThat(before).as(series).containsEntry(series, 0.0);
    }
    awaitCondition("a DLQ depth count", () -> samples(RouterProcess.body(port, "/metrics"))
        .getOrDefault("esp_dlq_depth_messages", -1.0) == 0.0);
  }

  @Test
  @Order(3)
  @DisplayName("after a short real run the sandbox's own routes are not among the HTTP server's series")
  void sandboxRoutesApart() throws Exception {
    shortRun();
    String scrape = RouterProcess.body(port, "/metrics");
    Set<String> routes = new TreeSet<>();
    Matcher m = Pattern.compile("^vertx_http_server_requests_total\\{[^}]*route=\"([^\"]*)\"", Pattern.MULTILINE)
        .matcher(scrape);
    while (m.find()) {
      routes.add(m.group(1));
    }
    assertThat(routes).as("API routes are counted").contains("/v1/batches");
    assertThat(routes).as("no sandbox route").noneMatch(r -> SANDBOX_PREFIXES.stream().anyMatch(r::startsWith));
    assertThat(scrape).as("the local address label is dropped").doesNotContain("local=\"");
    assertThat(samples(scrape).get("esp_sandbox_requests_total{provider=\"sendgrid\"}"))
        .as("the sandbox did serve requests").isPositive();
  }

  @Test
  @Order(4)
  @DisplayName("every metric name in the Grafana dashboards' PromQL exists in /metrics after the run")
  void grafanaQueries() throws Exception {
    Set<String> present = new TreeSet<>();
    for (String line : RouterProcess.body(port, "/metrics").split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.find()) {
        present.add(m.group(1));
      }
    }
    Map<String, Set<String>> wanted = new TreeMap<>();
    try (Stream<Path> files = Files.list(Path.of("..", "docker", "grafana", "dashboards"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        for (String expr : expressions(new JsonObject(Files.readString(f)))) {
          for (String name : PromQlNames.of(expr)) {
            wanted.computeIfAbsent(name, k -> new TreeSet<>()).add(expr);
          }
        }
      }
    }
    assertThat(wanted).as("metric names found in the dashboards").hasSizeGreaterThan(20);
    Map<String, Set<String>> missing = new TreeMap<>(wanted);
    missing.keySet().removeAll(present);
    assertThat(missing).as("metric names a dashboard reads that /metrics does not have").isEmpty();
  }

  /** Every {@code expr} of every panel target, rows' nested panels included. */
  private static List<String> expressions(JsonObject dashboard) {
    List<String> out = new ArrayList<>();
    collect(dashboard.getJsonArray("panels", new JsonArray()), out);
    return out;
  }

  private static void collect(JsonArray panels, List<String> out) {
    for (Object o : panels) {
      JsonObject p = (JsonObject) o;
      for (Object t : p.getJsonArray("targets", new JsonArray())) {
        String expr = ((JsonObject) t).getString("expr");
        if (expr != null && !expr.isBlank()) {
          out.add(expr);
        }
      }
      collect(p.getJsonArray("panels", new JsonArray()), out);
    }
  }

  /** A batch of email with one invalid recipient, a Telegram message, until the sandbox's webhooks are in. */
  private static void shortRun() throws Exception {
    JsonArray recipients = new JsonArray().add(new JsonObject().put("to", "not-an-address"));
    for (int i = 0; i < 40; i++) {
      recipients.add(new JsonObject().put("to", "m" + i + "@metrics.example"));
    }
    post("/v1/batches", new JsonObject().put("channel", "email").put("from", "Shop <noreply@shop.example>")
        .put("subject", "Hi").put("text", "Hi").put("priority", "normal").put("recipients", recipients), 202);
    post("/v1/messages", new JsonObject().put("channel", "telegram").put("to", "123456").put("text", "hi"), 202);
    awaitCondition("webhook events counted", () -> samples(RouterProcess.body(port, "/metrics")).entrySet().stream()
        .filter(s -> s.getKey().startsWith("esp_analytics_events_total{")).mapToDouble(Map.Entry::getValue).sum() >= 20);
  }

  private static void post(String path, JsonObject body, int expected) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + KEY).header("content-type", "application/json")
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(expected);
  }

  /** Series (name and labels as printed) to value. */
  static Map<String, Double> samples(String scrape) {
    Map<String, Double> out = new HashMap<>();
    for (String line : scrape.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      try {
        out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      } catch (NumberFormatException e) {
        // not a plain sample line
      }
    }
    return out;
  }

  interface Check {
    boolean done() throws Exception;
  }

  private static void awaitCondition(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(app.isAlive()).as("app alive; log: " + log).isTrue();
      if (check.done()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what + "; log: " + log);
  }
}
