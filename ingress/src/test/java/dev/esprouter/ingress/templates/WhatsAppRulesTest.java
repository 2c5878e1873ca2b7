package dev.esprouter.ingress.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Meta's template rules and what a send must give")
class WhatsAppRulesTest {

  private static JsonObject body(String text, JsonArray example) {
    return new JsonObject().put("type", "BODY").put("text", text)
        .put("example", new JsonObject().put("body_text", new JsonArray().add(example)));
  }

  @Test
  @DisplayName("a parameter may stand twice and counts once; the shape names the data keys of header, body and "
      + "URL buttons; types are kept in lower case")
  void shape() {
    JsonArray components = WhatsAppRules.components(new JsonArray()
        .add(new JsonObject().put("type", "HEADER").put("format", "IMAGE")
            .put("example", new JsonObject().put("header_handle", new JsonArray().add("4::aW1h"))))
        .add(body("Hi {{1}}, {{2}} for you, {{1}}.", new JsonArray().add("Ana").add("a gift")))
        .add(new JsonObject().put("type", "BUTTONS").put("buttons", new JsonArray()
            .add(new JsonObject().put("type", "QUICK_REPLY").put("text", "Stop"))
            .add(new JsonObject().put("type", "URL").put("text", "Open").put("url", "https://x.example/{{1}}")
                .put("example", new JsonArray().add("https://x.example/a"))))));
    assertThat(components.getJsonObject(0).getString("format")).isEqualTo("image");
    assertThat(components.getJsonObject(2).getJsonArray("buttons").getJsonObject(1).getString("type")).isEqualTo("url");
    assertThat(WhatsAppShape.of(components).keys()).containsExactly("header.image", "1", "2", "button.1");
  }

  @Test
  @DisplayName("named parameters, quick replies split around other buttons and a URL with its parameter in the "
      + "middle are refused")
  void refused() {
    assertThatThrownBy(() -> WhatsAppRules.components(new JsonArray().add(body("Hi {{name}} there",
        new JsonArray().add("Ana"))))).isInstanceOfSatisfying(TemplateRefusal.class, e ->
        assertThat(e.error().field()).isEqualTo("components[0].text"));
    JsonArray split = new JsonArray()
        .add(new JsonObject().put("type", "quick_reply").put("text", "A"))
        .add(new JsonObject().put("type", "phone_number").put("text", "Call").put("phone_number", "+15550001234"))
        .add(new JsonObject().put("type", "quick_reply").put("text", "B"));
    assertThatThrownBy(() -> WhatsAppRules.components(new JsonArray().add(body("Hi there", new JsonArray()))
        .add(new JsonObject().put("type", "buttons").put("buttons", split))))
        .isInstanceOfSatisfying(TemplateRefusal.class, e -> assertThat(e.error().message()).contains("grouped"));
    JsonArray url = new JsonArray().add(new JsonObject().put("type", "url").put("text", "Go")
        .put("url", "https://x.example/{{1}}/y").put("example", new JsonArray().add("https://x.example/a/y")));
    assertThatThrownBy(() -> WhatsAppRules.components(new JsonArray().add(body("Hi there", new JsonArray()))
        .add(new JsonObject().put("type", "buttons").put("buttons", url))))
        .isInstanceOfSatisfying(TemplateRefusal.class, e ->
            assertThat(e.error().field()).isEqualTo("components[1].buttons[0].url"));
  }
}
