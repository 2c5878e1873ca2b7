package dev.esprouter.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("/openapi.yaml is the union of every module's openapi/*.yaml")
class OpenApiDocumentsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode yaml(String text) throws Exception {
    return YAML.readTree(text);
  }

  @Test
  @DisplayName("the documents on the classpath are found by their folder, whatever their names")
  void discovers() {
    assertThat(OpenApiDocuments.discover(getClass().getClassLoader())).contains("openapi/operations.yaml");
    assertThat(OpenApiDocuments.merged().path("paths").has("/health/ready")).isTrue();
  }

  @Test
  @DisplayName("a component two documents define differently is renamed in the later one, whose $refs follow")
  void renamesConflicts() throws Exception {
    Map<String, JsonNode> docs = new LinkedHashMap<>();
    docs.put("openapi/a.yaml", yaml("""
        security: [{apiKey: []}]
        paths:
          /a:
            get:
              responses: {'200': {content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}}
        components:
          schemas:
            Error: {type: object, required: [error]}
            Channel: {type: string}
        """));
    docs.put("openapi/send-api.yaml", yaml("""
        paths:
          /b:
            parameters: [{name: x, in: query}]
            post:
              security: []
              responses: {'400': {content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}}
        components:
          schemas:
            Error: {type: object, required: [error, rejected]}
            Channel: {type: string}
        """));
    ObjectNode merged = OpenApiDocuments.merge(docs);

    JsonNode schemas = merged.path("components").path("schemas");
    assertThat(schemas.path("Error").path("required")).hasSize(1);
    assertThat(schemas.path("SendApiError").path("required")).hasSize(2);
    assertThat(schemas.has("SendApiChannel")).as("identical components are shared").isFalse();
    assertThat(merged.at("/paths/~1a/get/responses/200/content/application~1json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/Error");
    assertThat(merged.at("/paths/~1b/post/responses/400/content/application~1json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/SendApiError");
    assertThat(merged.at("/paths/~1a/get/security/0").has("apiKey")).as("document security moved onto its operations")
        .isTrue();
    assertThat(merged.at("/paths/~1b/post/security")).as("an operation's own security is kept").isEmpty();
    assertThat(merged.at("/paths/~1b/parameters").isArray()).isTrue();
    assertThat(merged.has("security")).isFalse();
  }

  @Test
  @DisplayName("one operation described by two documents is an error naming it")
  void duplicateOperation() throws Exception {
    Map<String, JsonNode> docs = new LinkedHashMap<>();
    docs.put("openapi/a.yaml", yaml("paths: {/x: {get: {responses: {}}}}"));
    docs.put("openapi/b.yaml", yaml("paths: {/x: {get: {responses: {}}, post: {responses: {}}}}"));
    assertThatThrownBy(() -> OpenApiDocuments.merge(docs)).hasMessageContaining("openapi/b.yaml: GET /x");
  }
}
