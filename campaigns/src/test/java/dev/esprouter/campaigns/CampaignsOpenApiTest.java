package dev.esprouter.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The campaigns routes conform to openapi/campaigns.yaml")
class CampaignsOpenApiTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final ObjectMapper JSON = new ObjectMapper();
  private JsonNode spec;
  private final Set<String> exercised = new TreeSet<>();
  private final List<String> problems = new ArrayList<>();

  @Test
  @DisplayName("every operation is exercised and answers only documented statuses with bodies matching their schemas")
  void conforms() throws Exception {
    try (InputStream in = CampaignsRole.class.getResourceAsStream("/openapi/campaigns.yaml")) {
      spec = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    assertThat(spec.path("openapi").asText()).isEqualTo("3.1.0");
    try (CampaignHarness h = CampaignHarness.start(env, Map.of())) {
      String key = CampaignHarness.KEY;
      HttpResponse<Buffer> created = h.post("/v1/campaigns", CampaignHarness.email("doc"));
      check("POST", "/v1/campaigns", created);
      String id = created.bodyAsJsonObject().getString("id");
      check("POST", "/v1/campaigns", h.post("/v1/campaigns", new JsonObject().put("name", "x")));
      check("POST", "/v1/campaigns", h.post("/v1/campaigns", "esk_live_wrong", CampaignHarness.email("x")));
      check("GET", "/v1/campaigns", h.get("/v1/campaigns?limit=1"));
      check("GET", "/v1/campaigns", h.get("/v1/campaigns?state=nope"));
      check("GET", "/v1/campaigns", h.get("/v1/campaigns", "esk_live_wrong"));
      check("GET", "/v1/campaigns/{id}", h.get("/v1/campaigns/" + id));
      check("GET", "/v1/campaigns/{id}", h.get("/v1/campaigns/cmp_nope"));
      check("PATCH", "/v1/campaigns/{id}", h.patch("/v1/campaigns/" + id, new JsonObject().put("name", "doc2")));
      check("PATCH", "/v1/campaigns/{id}", h.patch("/v1/campaigns/" + id, new JsonObject().put("channel", "fax")));
      check("PATCH", "/v1/campaigns/{id}", h.patch("/v1/campaigns/cmp_nope", new JsonObject().put("name", "x")));
      check("POST", "/v1/campaigns/{id}/start", h.post("/v1/campaigns/" + id + "/start", null));
      check("POST", "/v1/campaigns/{id}/recipients", h.upload(id, "to\na@example.com\nnope\n"));
      check("POST", "/v1/campaigns/{id}/recipients", h.upload(id, "name\nx\n"));
      check("POST", "/v1/campaigns/{id}/recipients", h.upload(id, "application/json", Buffer.buffer("{}"), Map.of()));
      check("POST", "/v1/campaigns/{id}/recipients", h.upload("cmp_nope", "to\na@example.com\n"));
      check("GET", "/v1/campaigns/{id}/messages", h.get("/v1/campaigns/" + id + "/messages"));
      check("GET", "/v1/campaigns/{id}/messages", h.get("/v1/campaigns/" + id + "/messages?limit=0"));
      check("GET", "/v1/campaigns/{id}/messages", h.get("/v1/campaigns/cmp_nope/messages"));
      String later = h.post("/v1/campaigns", CampaignHarness.email("later").put("send_at",
          java.time.Instant.now().plusSeconds(3600).toString())).bodyAsJsonObject().getString("id");
      h.upload(later, "to\nb@example.com\n");
      check("POST", "/v1/campaigns/{id}/start", h.post("/v1/campaigns/" + later + "/start", null));
      check("POST", "/v1/campaigns/{id}/recipients", h.upload(later, "to\nc@example.com\n"));
      check("POST", "/v1/campaigns/{id}/pause", h.post("/v1/campaigns/" + later + "/pause", null));
      check("POST", "/v1/campaigns/{id}/pause", h.post("/v1/campaigns/" + later + "/pause", null));
      check("POST", "/v1/campaigns/{id}/resume", h.post("/v1/campaigns/" + later + "/resume", null));
      check("POST", "/v1/campaigns/{id}/resume", h.post("/v1/campaigns/cmp_nope/resume", null));
      check("POST", "/v1/campaigns/{id}/cancel", h.post("/v1/campaigns/" + later + "/cancel", null));
      check("PATCH", "/v1/campaigns/{id}", h.patch("/v1/campaigns/" + later, new JsonObject().put("name", "x")));
      check("POST", "/v1/campaigns/{id}/cancel", h.post("/v1/campaigns/" + id + "/cancel", null));
      check("POST", "/v1/campaigns/{id}/cancel", h.post("/v1/campaigns/" + id + "/cancel", null));
      check("POST", "/v1/campaigns/{id}/start", h.post("/v1/campaigns/" + id + "/start", null));
      check("POST", "/v1/campaigns/{id}/start", h.call(HttpMethod.POST, "/v1/campaigns/" + id + "/start",
          "esk_live_wrong", null, Map.of()));
      approvals(h);
    }
    assertThat(problems).isEmpty();
    assertThat(exercised).containsExactlyInAnyOrderElementsOf(operations());
  }

  /** The operator's approval of a tenant that requires it: approved, refused twice over, unknown, unauthorised. */
  private void approvals(CampaignHarness h) throws Exception {
    String[] t = h.newTenant("doc-approval");
    h.call(HttpMethod.PATCH, "/admin/tenants/" + t[0], CampaignHarness.ADMIN_TOKEN,
        new JsonObject().put("campaign_approval_required", true).toBuffer(), Map.of("content-type", "application/json"));
    String id = h.post("/v1/campaigns", t[1], CampaignHarness.email("approve")).bodyAsJsonObject().getString("id");
    String path = "/admin/tenants/" + t[0] + "/campaigns/" + id + "/approve";
    String template = "/admin/tenants/{id}/campaigns/{cid}/approve";
    check("POST", template, h.post(path, CampaignHarness.ADMIN_TOKEN, null));
    h.call(HttpMethod.POST, "/v1/campaigns/" + id + "/recipients", t[1], Buffer.buffer("to\nd@example.com\n"),
        Map.of("content-type", "text/csv"));
    check("POST", "/v1/campaigns/{id}/start", h.post("/v1/campaigns/" + id + "/start", t[1], null));
    check("POST", template, h.post(path, t[1], null));
    check("POST", template, h.post(path, CampaignHarness.ADMIN_TOKEN, null));
    check("POST", template, h.post("/admin/tenants/" + t[0] + "/campaigns/cmp_nope/approve",
        CampaignHarness.ADMIN_TOKEN, null));
  }

  private Set<String> operations() {
    Set<String> ops = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> p = paths.next();
      p.getValue().fieldNames().forEachRemaining(m -> {
        if (!m.equals("parameters")) {
          ops.add(m.toUpperCase() + " " + p.getKey());
        }
      });
    }
    return ops;
  }

  private void check(String method, String template, HttpResponse<Buffer> r) throws Exception {
    String where = method + " " + template + " → " + r.statusCode();
    JsonNode op = spec.path("paths").path(template).path(method.toLowerCase());
    if (op.isMissingNode()) {
      problems.add(where + ": operation not documented");
      return;
    }
    exercised.add(method + " " + template);
    JsonNode response = deref(op.path("responses").path(Integer.toString(r.statusCode())));
    if (response.isMissingNode()) {
      problems.add(where + ": status not documented (" + r.bodyAsString() + ")");
      return;
    }
    JsonNode schema = response.path("content").path("application/json").path("schema");
    if (!schema.isMissingNode()) {
      validate(JSON.readTree(r.bodyAsString()), schema, where, "$");
    }
  }

  private JsonNode deref(JsonNode node) {
    while (node.has("$ref")) {
      node = spec.at(node.get("$ref").asText().substring(1));
    }
    return node;
  }

  /** The part of JSON Schema the document uses: $ref, allOf, type (and unions), enum, required, properties, items. */
  private void validate(JsonNode value, JsonNode given, String where, String at) {
    JsonNode schema = deref(given);
    for (JsonNode part : schema.path("allOf")) {
      validate(value, part, where, at);
    }
    JsonNode type = schema.path("type");
    if (!type.isMissingNode()) {
      boolean ok = false;
      for (JsonNode t : type.isArray() ? type : JSON.createArrayNode().add(type)) {
        ok |= switch (t.asText()) {
          case "object" -> value.isObject();
          case "array" -> value.isArray();
          case "string" -> value.isTextual();
          case "integer" -> value.isIntegralNumber();
          case "number" -> value.isNumber();
          case "boolean" -> value.isBoolean();
          case "null" -> value.isNull();
          default -> false;
        };
      }
      if (!ok) {
        problems.add(where + ": " + at + " is not " + type);
        return;
      }
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode e : schema.get("enum")) {
        found |= e.equals(value);
      }
      if (!found) {
        problems.add(where + ": " + at + " = " + value + " is not in " + schema.get("enum"));
      }
    }
    for (JsonNode req : schema.path("required")) {
      if (!value.has(req.asText())) {
        problems.add(where + ": " + at + "." + req.asText() + " is missing");
      }
    }
    Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
    while (props.hasNext()) {
      Map.Entry<String, JsonNode> p = props.next();
      if (value.has(p.getKey())) {
        validate(value.get(p.getKey()), p.getValue(), where, at + "." + p.getKey());
      }
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        validate(value.get(i), schema.get("items"), where, at + "[" + i + "]");
      }
    }
  }
}
