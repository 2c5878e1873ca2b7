package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.OpenApiConformance;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The running API conforms to its OpenAPI document")
class OpenApiConformanceTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private OpenApiConformance conformance;

  @Test
  @DisplayName("Every ingress route answers only documented statuses, with bodies that match their schemas, and every ingress route is exercised")
  void conforms() throws Exception {
    try (IngressHarness h = IngressHarness.start(env)) {
      String key = IngressHarness.BOOTSTRAP_KEY;
      HttpResponse<Buffer> doc = h.get("/openapi.yaml", null);
      conformance = new OpenApiConformance(doc.bodyAsString());
      assertThat(conformance.spec().path("openapi").asText()).isEqualTo("3.1.0");
      check("GET", "/openapi.yaml", doc);

      HttpResponse<Buffer> sent = h.post("/v1/messages", key, Bodies.email("a@example.com"));
      check("POST", "/v1/messages", sent, Bodies.email("a@example.com"));
      String id = sent.bodyAsJsonObject().getString("id");
      check("POST", "/v1/messages", h.post("/v1/messages", key, new JsonObject().put("channel", "email")));
      check("POST", "/v1/messages", h.post("/v1/messages", null, Bodies.email("a@example.com")));
      Map<String, String> idem = Map.of("Idempotency-Key", "k1");
      check("POST", "/v1/messages", h.post("/v1/messages", key, Bodies.email("b@example.com"), idem));
      check("POST", "/v1/messages", h.post("/v1/messages", key, Bodies.email("c@example.com"), idem));
      check("POST", "/v1/messages", h.post("/v1/messages", key, Bodies.email("a@example.com")
          .put("html", "x".repeat(1_100_000))));

      env.database().sql("insert into message_events (message_id, provider, type, occurred_at, detail) values ('" + id
          + "', 'sendgrid', 'delivered', now(), '{\"smtp\": \"250 ok\"}')");
      check("GET", "/v1/messages/{id}", h.get("/v1/messages/" + id, key));
      check("GET", "/v1/messages/{id}", h.get("/v1/messages/msg_nope", key));
      check("GET", "/v1/messages/{id}", h.get("/v1/messages/" + id, "esk_live_wrong"));

      JsonObject batch = Bodies.batch(4);
      batch.getJsonArray("recipients").getJsonObject(2).put("to", "nope");
      HttpResponse<Buffer> accepted = h.post("/v1/batches", key, batch);
      check("POST", "/v1/batches", accepted, batch);
      String batchId = accepted.bodyAsJsonObject().getString("batch_id");
      check("POST", "/v1/batches", h.post("/v1/batches", key, new JsonObject().put("channel", "email")));
      check("POST", "/v1/batches", h.post("/v1/batches", null, batch));
      check("GET", "/v1/batches/{id}", h.get("/v1/batches/" + batchId, key));
      check("GET", "/v1/batches/{id}", h.get("/v1/batches/bat_nope", key));
      check("GET", "/v1/batches/{id}/messages", h.get("/v1/batches/" + batchId + "/messages?limit=2", key));
      check("GET", "/v1/batches/{id}/messages", h.get("/v1/batches/" + batchId + "/messages?limit=0", key));
      check("GET", "/v1/batches/{id}/messages", h.get("/v1/batches/bat_nope/messages", key));

      HttpResponse<Buffer> tpl = h.post("/v1/templates", key, TemplateFixtures.telegram("conf", "en", "Hi {{name}}", null));
      check("POST", "/v1/templates", tpl, TemplateFixtures.telegram("conf", "en", "Hi {{name}}", null));
      String tplId = tpl.bodyAsJsonObject().getString("id");
      check("POST", "/v1/templates", h.post("/v1/templates", key, TemplateFixtures.telegram("conf", "en", "x", null)));
      check("POST", "/v1/templates", h.post("/v1/templates", key, new JsonObject().put("channel", "fax")));
      check("GET", "/v1/templates", h.get("/v1/templates?channel=telegram&limit=10", key));
      check("GET", "/v1/templates", h.get("/v1/templates?status=nope", key));
      check("GET", "/v1/templates/{id}", h.get("/v1/templates/" + tplId, key));
      check("GET", "/v1/templates/{id}", h.get("/v1/templates/tpl_nope", key));
      check("PUT", "/v1/templates/{id}", h.call(HttpMethod.PUT, "/v1/templates/" + tplId, key,
          TemplateFixtures.telegram("conf", "en", "Hello {{name}}", null).toBuffer(), Map.of()));
      check("PUT", "/v1/templates/{id}", h.call(HttpMethod.PUT, "/v1/templates/" + tplId, key,
          new JsonObject().put("text", 5).toBuffer(), Map.of()));
      check("PUT", "/v1/templates/{id}", h.call(HttpMethod.PUT, "/v1/templates/tpl_nope", key,
          new JsonObject().toBuffer(), Map.of()));
      check("POST", "/v1/templates/{id}/render", h.post("/v1/templates/" + tplId + "/render", key,
          new JsonObject().put("data", new JsonObject().put("name", "Ada"))));
      check("POST", "/v1/templates/{id}/render", h.post("/v1/templates/" + tplId + "/render", key, new JsonObject()));
      check("POST", "/v1/templates/{id}/render", h.post("/v1/templates/tpl_nope/render", key, new JsonObject()));
      check("POST", "/v1/templates/{id}/submit", h.post("/v1/templates/" + tplId + "/submit", key, new JsonObject()));
      check("POST", "/v1/templates/{id}/submit", h.post("/v1/templates/tpl_nope/submit", key, new JsonObject()));
      HttpResponse<Buffer> wa = h.post("/v1/templates", key, TemplateFixtures.whatsapp("conf_wa", "en_US"));
      check("POST", "/v1/templates", wa, TemplateFixtures.whatsapp("conf_wa", "en_US"));
      // No Meta here (nothing listens where the sandbox would): the submission is a 503 and changes nothing.
      check("POST", "/v1/templates/{id}/submit", h.post("/v1/templates/" + wa.bodyAsJsonObject().getString("id")
          + "/submit", key, new JsonObject()));
      check("DELETE", "/v1/templates/{id}", h.call(HttpMethod.DELETE, "/v1/templates/" + tplId, key, null, Map.of()));
      check("DELETE", "/v1/templates/{id}", h.call(HttpMethod.DELETE, "/v1/templates/" + tplId, key, null, Map.of()));

      JsonObject slow = new JsonObject().put("name", "slow").put("rate_limit_per_sec", 1);
      HttpResponse<Buffer> tenant = h.admin(HttpMethod.POST, "/admin/tenants", slow);
      check("POST", "/admin/tenants", tenant, slow);
      String tenantId = tenant.bodyAsJsonObject().getString("id");
      check("POST", "/admin/tenants", h.admin(HttpMethod.POST, "/admin/tenants", new JsonObject().put("name", "slow")));
      check("POST", "/admin/tenants", h.admin(HttpMethod.POST, "/admin/tenants", new JsonObject().put("name", 7)));
      check("POST", "/admin/tenants", h.call(HttpMethod.POST, "/admin/tenants", "wrong",
          new JsonObject().put("name", "x").toBuffer(), Map.of()));
      HttpResponse<Buffer> newKey = h.admin(HttpMethod.POST, "/admin/tenants/" + tenantId + "/keys", null);
      check("POST", "/admin/tenants/{id}/keys", newKey);
      check("POST", "/admin/tenants/{id}/keys", h.admin(HttpMethod.POST, "/admin/tenants/ten_nope/keys", null));
      String slowKey = newKey.bodyAsJsonObject().getString("key");
      check("POST", "/v1/messages", h.post("/v1/messages", slowKey, Bodies.email("d@example.com")));
      check("POST", "/v1/messages", h.post("/v1/messages", slowKey, Bodies.email("d@example.com")));
      check("PATCH", "/admin/tenants/{id}", h.admin(HttpMethod.PATCH, "/admin/tenants/" + tenantId,
          new JsonObject().put("rate_limit_per_sec", 50)));
      check("PATCH", "/admin/tenants/{id}", h.admin(HttpMethod.PATCH, "/admin/tenants/" + tenantId,
          new JsonObject().put("default_language", "pt_BR").put("whatsapp_unregistered_templates", "refuse")));
      check("PATCH", "/admin/tenants/{id}", h.admin(HttpMethod.PATCH, "/admin/tenants/ten_nope",
          new JsonObject().put("rate_limit_per_sec", 50)));
      check("PATCH", "/admin/tenants/{id}", h.admin(HttpMethod.PATCH, "/admin/tenants/" + tenantId,
          new JsonObject().put("name", "renamed")));
      String keyId = newKey.bodyAsJsonObject().getString("id");
      check("DELETE", "/admin/tenants/{id}/keys/{key_id}", h.admin(HttpMethod.DELETE,
          "/admin/tenants/" + tenantId + "/keys/" + keyId, null));
      check("DELETE", "/admin/tenants/{id}/keys/{key_id}", h.admin(HttpMethod.DELETE,
          "/admin/tenants/" + tenantId + "/keys/" + keyId, null));
    }
    assertThat(conformance.problems()).isEmpty();
    assertThat(conformance.exercised()).containsAll(ingressOperations());
  }

  private void check(String method, String template, HttpResponse<Buffer> r) {
    conformance.check(method, template, r.statusCode(), r.bodyAsString());
  }

  /** Also the request: a body the API accepted must be one the document describes. */
  private void check(String method, String template, HttpResponse<Buffer> r, JsonObject request) {
    check(method, template, r);
    conformance.checkRequest(method, template, r.statusCode(), request.encode());
  }

  /** The operations of ingress's own document: the other modules' are exercised where their roles run. */
  private static Set<String> ingressOperations() throws Exception {
    try (InputStream in = OpenApiConformanceTest.class.getResourceAsStream("/openapi/ingress.yaml")) {
      return OpenApiConformance.operations(new ObjectMapper(new YAMLFactory()).readTree(in));
    }
  }
}
