package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.OpenApiConformance;
import dev.esprouter.testkit.RunningRoles;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /openapi.yaml} against the routes of a process running every role: the same set both ways,
 * and the answers of the routes described outside ingress's document match their schemas.
 */
@DisplayName("OpenAPI and the router agree both ways; every documented route answers as documented")
class OpenApiRoutesTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final String KEY = "esk_live_openapiroutestest000000000000000000";
  private static final String ADMIN = "openapi-routes-admin-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static RunningRoles roles;
  private static OpenApiConformance conformance;

  @BeforeAll
  static void start() throws Exception {
    int http = EspTestEnv.freePort();
    Map<String, String> o = new HashMap<>();
    o.put("ESP_ROLES", "all");
    o.put("ESP_HTTP_PORT", Integer.toString(http));
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_SANDBOX_WEBHOOK_BASE", "http://127.0.0.1:" + http + "/webhooks");
    o.put("ESP_BOOTSTRAP_API_KEY", KEY);
    o.put("ESP_ADMIN_TOKEN", ADMIN);
    EspConfig config = env.config(o);
    env.createTopics(config);
    // Every role module in the jar: a module that joins (campaigns) must join the document too.
    roles = RunningRoles.startSelected(config);
    conformance = new OpenApiConformance(call("GET", "/openapi.yaml", null, null).body());
  }

  @AfterAll
  static void stop() {
    if (roles != null) {
      roles.close();
    }
  }

  @Test
  @DisplayName("every route the router registers is in /openapi.yaml, and every operation in it is a registered route")
  void bothWays() {
    Set<String> routed = new TreeSet<>();
    roles.runtime().httpOperations().forEach(op -> routed.add(normalize(op)));
    Set<String> documented = new TreeSet<>();
    OpenApiConformance.operations(conformance.spec()).forEach(op -> documented.add(normalize(op)));

    assertThat(routed).as("routes of the app").hasSizeGreaterThan(30);
    assertThat(difference(routed, documented)).as("routes missing from /openapi.yaml").isEmpty();
    assertThat(difference(documented, routed)).as("documented operations no route answers").isEmpty();
  }

  @Test
  @DisplayName("every documented operation answers over HTTP (no 'no route' 404, no 405)")
  void everyOperationAnswers() throws Exception {
    List<String> unanswered = new ArrayList<>();
    for (String op : OpenApiConformance.operations(conformance.spec())) {
      String method = op.substring(0, op.indexOf(' '));
      String template = op.substring(op.indexOf(' ') + 1);
      String path = withExamples(template, method).replaceAll("\\{[^}]+}", "x");
      HttpResponse<String> r = call(method, path, null, method.equals("GET") || method.equals("DELETE") ? null : "{}");
      if (r.statusCode() == 405 || (r.statusCode() == 404 && r.body().contains("no route for"))) {
        unanswered.add(op + " → " + r.statusCode());
      }
    }
    assertThat(unanswered).isEmpty();
  }

  @Test
  @DisplayName("providers, explain, suppressions, dead letters, health, metrics and webhooks answer as documented")
  void answersMatchTheirSchemas() throws Exception {
    check("GET", "/v1/providers", "/v1/providers", KEY, null);
    check("GET", "/v1/providers", "/v1/providers", null, null);
    check("GET", "/v1/routing/explain", "/v1/routing/explain?channel=email", KEY, null);
    check("GET", "/v1/routing/explain", "/v1/routing/explain?channel=fax", KEY, null);
    check("GET", "/v1/routing/explain", "/v1/routing/explain?channel=email&batch_id=bat_nope", KEY, null);

    env.database().sql("insert into suppressions (tenant_id, channel, address, reason, provider) "
        + "select id, 'email', 'gone@example.com', 'bounced', 'sendgrid' from tenants where name = 'default'");
    check("GET", "/v1/suppressions/{address}", "/v1/suppressions/gone@example.com", KEY, null);
    check("GET", "/v1/suppressions/{address}", "/v1/suppressions/gone@example.com?channel=fax", KEY, null);
    check("DELETE", "/v1/suppressions/{address}", "/v1/suppressions/gone@example.com", KEY, null);
    check("DELETE", "/v1/suppressions/{address}", "/v1/suppressions/gone@example.com", KEY, null);
    check("GET", "/v1/suppressions/{address}", "/v1/suppressions/gone@example.com", KEY, null);
    check("GET", "/v1/suppressions/{address}", "/v1/suppressions/gone@example.com", null, null);

    check("GET", "/v1/dlq", "/v1/dlq", KEY, null);
    check("GET", "/v1/dlq", "/v1/dlq?limit=0", KEY, null);
    check("GET", "/v1/dlq", "/v1/dlq", null, null);
    check("POST", "/v1/dlq/{id}/requeue", "/v1/dlq/msg_nope/requeue", KEY, "");
    check("POST", "/v1/dlq/{id}/requeue", "/v1/dlq/msg_nope/requeue", null, "");

    check("GET", "/health/live", "/health/live", null, null);
    check("GET", "/health/ready", "/health/ready", null, null);
    check("GET", "/metrics", "/metrics", null, null);

    for (ProviderName p : ProviderName.values()) {
      String path = "/webhooks/" + p.wire();
      check("POST", path, path, null, "{\"forged\": true}");
    }
    check("GET", "/webhooks/meta", "/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", null,
        null);

    assertThat(conformance.problems()).isEmpty();
    Set<String> mine = new TreeSet<>();
    for (String doc : List.of("operations", "router", "webhooks")) {
      mine.addAll(operationsOf(doc));
    }
    mine.addAll(List.of("GET /v1/providers", "GET /v1/routing/explain", "GET /v1/suppressions/{address}",
        "DELETE /v1/suppressions/{address}"));
    assertThat(conformance.exercised()).containsAll(mine);
  }

  private static void check(String method, String template, String path, String key, String body) throws Exception {
    HttpResponse<String> r = call(method, path, key, body);
    conformance.check(method, template, r.statusCode(), r.body());
  }

  private static HttpResponse<String> call(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(roles.baseUrl() + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (body != null) {
      b.header("content-type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The path with each parameter that has an {@code example} in the document replaced by it. */
  private static String withExamples(String template, String method) {
    JsonNode item = conformance.spec().path("paths").path(template);
    String path = template;
    for (JsonNode params : List.of(item.path("parameters"), item.path(method.toLowerCase(Locale.ROOT)).path("parameters"))) {
      for (JsonNode p : params) {
        if ("path".equals(p.path("in").asText()) && p.has("example")) {
          path = path.replace("{" + p.path("name").asText() + "}", p.path("example").asText());
        }
      }
    }
    return path;
  }

  private static Set<String> operationsOf(String document) throws Exception {
    try (InputStream in = OpenApiRoutesTest.class.getResourceAsStream("/openapi/" + document + ".yaml")) {
      return OpenApiConformance.operations(new ObjectMapper(new YAMLFactory()).readTree(in));
    }
  }

  /** {@code GET /v1/messages/:id} and {@code GET /v1/messages/{id}} alike: parameter names aside. */
  private static String normalize(String op) {
    return op.replaceAll(":[A-Za-z_][A-Za-z0-9_]*", "{}").replaceAll("\\{[^}]*}", "{}");
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }
}
