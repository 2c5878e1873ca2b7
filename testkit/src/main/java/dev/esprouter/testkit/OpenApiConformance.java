package dev.esprouter.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks real answers against the OpenAPI document the app serves ({@code /openapi.yaml}): the
 * operation is documented, the status is one of its responses, and a JSON body matches the
 * response's schema. Integration tests call {@link #check} with every answer they get; at the end,
 * {@link #problems()} must be empty and {@link #exercised()} tells which operations were seen.
 *
 * <p>Validates the part of JSON Schema the documents use: {@code $ref}, {@code allOf}, {@code type}
 * (with unions such as {@code [string, 'null']}), {@code enum}, {@code required},
 * {@code properties}, {@code additionalProperties} and {@code items}.
 */
public final class OpenApiConformance {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonNode spec;
  private final Set<String> exercised = new TreeSet<>();
  private final List<String> problems = new ArrayList<>();

  public OpenApiConformance(String yaml) {
    try {
      this.spec = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI document does not parse", e);
    }
  }

  public JsonNode spec() {
    return spec;
  }

  /** Records a problem for each way {@code status} and {@code body} of {@code METHOD template} differ from the document. */
  public void check(String method, String template, int status, String body) {
    String where = method + " " + template + " → " + status;
    JsonNode op = spec.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
    if (op.isMissingNode()) {
      problems.add(where + ": operation not documented");
      return;
    }
    exercised.add(method + " " + template);
    JsonNode response = deref(op.path("responses").path(Integer.toString(status)));
    if (response.isMissingNode()) {
      problems.add(where + ": status not documented");
      return;
    }
    JsonNode json = response.path("content").path("application/json").path("schema");
    if (!json.isMissingNode()) {
      try {
        validate(JSON.readTree(body), json, where, "$");
      } catch (IOException e) {
        problems.add(where + ": body is not JSON: " + e.getMessage());
      }
    }
  }

  /**
   * A request the API accepted ({@code status} 2xx) must match the operation's documented JSON
   * request body: what clients are told to send is what the API takes. Refused requests are not
   * checked (tests send invalid bodies on purpose).
   */
  public void checkRequest(String method, String template, int status, String requestBody) {
    if (status < 200 || status >= 300 || requestBody == null) {
      return;
    }
    String where = method + " " + template + " request (answered " + status + ")";
    JsonNode op = spec.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
    JsonNode schema = deref(op.path("requestBody")).path("content").path("application/json").path("schema");
    if (schema.isMissingNode()) {
      problems.add(where + ": accepted a JSON body the document does not describe");
      return;
    }
    try {
      validate(JSON.readTree(requestBody), schema, where, "$");
    } catch (IOException e) {
      problems.add(where + ": request is not JSON: " + e.getMessage());
    }
  }

  public List<String> problems() {
    return problems;
  }

  /** "METHOD /template" of every documented operation {@link #check} has seen. */
  public Set<String> exercised() {
    return exercised;
  }

  /** "METHOD /template" of every operation in {@code document} (the served one or one module's). */
  public static Set<String> operations(JsonNode document) {
    Set<String> ops = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> p = paths.next();
      p.getValue().fieldNames().forEachRemaining(m -> {
        if (!m.equals("parameters") && !m.equals("summary") && !m.equals("description")) {
          ops.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
        }
      });
    }
    return ops;
  }

  private JsonNode deref(JsonNode node) {
    while (node.has("$ref")) {
      node = spec.at(node.get("$ref").asText().substring(1));
    }
    return node;
  }

  private void validate(JsonNode value, JsonNode given, String where, String at) {
    JsonNode schema = deref(given);
    for (JsonNode part : schema.path("allOf")) {
      validate(value, part, where, at);
    }
    JsonNode type = schema.path("type");
    if (!type.isMissingNode()) {
      boolean ok = false;
      for (JsonNode t : type.isArray() ? type : JSON.createArrayNode().add(type)) {
        ok |= matches(value, t.asText());
      }
      if (!ok) {
        problems.add(where + ": " + at + " is " + value.getNodeType() + ", documented " + type);
        return;
      }
    }
    if (schema.has("enum") && !value.isNull()) {
      boolean found = false;
      for (JsonNode e : schema.get("enum")) {
        found |= e.equals(value);
      }
      if (!found) {
        problems.add(where + ": " + at + " = " + value + " is not one of " + schema.get("enum"));
      }
    }
    if (value.isObject()) {
      for (JsonNode req : schema.path("required")) {
        if (!value.has(req.asText())) {
          problems.add(where + ": " + at + "." + req.asText() + " is required but missing");
        }
      }
      value.fields().forEachRemaining(f -> {
        JsonNode prop = schema.path("properties").path(f.getKey());
        if (!prop.isMissingNode()) {
          validate(f.getValue(), prop, where, at + "." + f.getKey());
        } else if (schema.path("additionalProperties").isObject()) {
          validate(f.getValue(), schema.get("additionalProperties"), where, at + "." + f.getKey());
        } else if (schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean()) {
          problems.add(where + ": " + at + "." + f.getKey() + " is not documented");
        }
      });
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        validate(value.get(i), schema.get("items"), where, at + "[" + i + "]");
      }
    }
  }

  private static boolean matches(JsonNode v, String type) {
    return switch (type) {
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "null" -> v.isNull();
      default -> false;
    };
  }
}
