package dev.esprouter.providers.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Meta's template management API: requests built, answers and status webhooks read")
class MetaTemplateApiTest {

  @Test
  @DisplayName("the create body carries Meta's language code and upper-case types, formats and button types")
  void createBody() {
    JsonArray components = new JsonArray()
        .add(new JsonObject().put("type", "header").put("format", "text").put("text", "Hi"))
        .add(new JsonObject().put("type", "body").put("text", "Order {{1}}")
            .put("example", new JsonObject().put("body_text", new JsonArray().add(new JsonArray().add("A-1")))))
        .add(new JsonObject().put("type", "buttons").put("buttons", new JsonArray()
            .add(new JsonObject().put("type", "quick_reply").put("text", "Stop"))));
    JsonObject body = MetaTemplateApi.createBody("order_update", "pt-BR", "utility", components).toJsonObject();
    assertThat(body.getString("language")).isEqualTo("pt_BR");
    assertThat(body.getString("category")).isEqualTo("UTILITY");
    assertThat(body.getJsonArray("components").getJsonObject(0).getString("format")).isEqualTo("TEXT");
    assertThat(body.getJsonArray("components").getJsonObject(1).getString("type")).isEqualTo("BODY");
    assertThat(body.getJsonArray("components").getJsonObject(2).getJsonArray("buttons").getJsonObject(0)
        .getString("type")).isEqualTo("QUICK_REPLY");
    assertThat(components.getJsonObject(0).getString("type")).as("the registry's copy is not changed")
        .isEqualTo("header");
    assertThat(MetaTemplateApi.listPath("v21.0", "123", "QVFI=")).isEqualTo("/v21.0/123/message_templates?fields="
        + MetaTemplateApi.FIELDS + "&limit=100&after=QVFI%3D");
    assertThat(MetaTemplateApi.deletePath("v21.0", "123", "a b", "99"))
        .isEqualTo("/v21.0/123/message_templates?name=a+b&hsm_id=99");
  }

  @Test
  @DisplayName("a list page gives canonical languages and the next cursor only when there is a next page")
  void page() {
    Buffer first = new JsonObject().put("data", new JsonArray()
            .add(new JsonObject().put("name", "a").put("language", "en_US").put("status", "APPROVED")
                .put("category", "UTILITY").put("id", "1").put("components", new JsonArray()))
            .add(new JsonObject().put("name", "b").put("language", "not a tag").put("status", "APPROVED").put("id", "2"))
            .add(new JsonObject().put("name", "c").put("language", "pt_BR").put("status", "REJECTED")
                .put("rejected_reason", "INVALID_FORMAT").put("id", 3L)))
        .put("paging", new JsonObject().put("cursors", new JsonObject().put("before", "x").put("after", "y"))
            .put("next", "https://graph.facebook.com/next")).toBuffer();
    MetaTemplateApi.Page p = MetaTemplateApi.page(first);
    assertThat(p.after()).isEqualTo("y");
    assertThat(p.templates()).extracting(MetaTemplateApi.MetaTemplate::language).containsExactly("en-US", "pt-BR");
    assertThat(p.templates().get(1).id()).isEqualTo("3");
    assertThat(p.templates().get(1).rejectedReason()).isEqualTo("INVALID_FORMAT");
    assertThat(MetaTemplateApi.page(Buffer.buffer("{\"data\":[],\"paging\":{\"cursors\":{\"after\":\"z\"}}}")).after())
        .isNull();
  }

  @Test
  @DisplayName("a Graph error gives code, subcode and Meta's user message; a body that is not JSON still gives the status")
  void errors() {
    MetaTemplateApi.MetaError e = MetaTemplateApi.error(400, Buffer.buffer("{\"error\":{\"message\":\"Invalid parameter\","
        + "\"type\":\"OAuthException\",\"code\":100,\"error_subcode\":2388024,\"error_user_title\":\"t\","
        + "\"error_user_msg\":\"Content in this language already exists\"}}"));
    assertThat(e.code()).isEqualTo(100);
    assertThat(e.subcode()).isEqualTo(2388024);
    assertThat(e.message()).isEqualTo("Invalid parameter — Content in this language already exists");
    assertThat(MetaTemplateApi.error(502, Buffer.buffer("<html>bad gateway</html>")).toString())
        .isEqualTo("meta 502 code -1: <html>bad gateway</html>");
  }

  @Test
  @DisplayName("status webhooks as Meta documents them: approved, rejected with rejection_info, paused with "
      + "other_info; message statuses in the same body are not template updates")
  void statusUpdates() {
    String body = "{\"entry\":[{\"id\":\"102290129340398\",\"time\":1751247548,\"changes\":["
        + "{\"value\":{\"event\":\"APPROVED\",\"message_template_id\":1689556908129832,\"message_template_name\":"
        + "\"order_confirmation\",\"message_template_language\":\"en-US\",\"reason\":\"NONE\","
        + "\"message_template_category\":\"UTILITY\"},\"field\":\"message_template_status_update\"},"
        + "{\"value\":{\"event\":\"REJECTED\",\"message_template_id\":1689556908129835,\"message_template_name\":"
        + "\"abandoned_cart\",\"message_template_language\":\"en\",\"reason\":\"INVALID_FORMAT\","
        + "\"rejection_info\":{\"reason\":\"Your template has parameters placed next to each other\","
        + "\"recommendation\":\"Separate them\"}},\"field\":\"message_template_status_update\"},"
        + "{\"value\":{\"event\":\"PAUSED\",\"message_template_id\":7,\"message_template_name\":\"promo\","
        + "\"message_template_language\":\"pt_BR\",\"reason\":\"NONE\",\"other_info\":{\"title\":\"FIRST_PAUSE\","
        + "\"description\":\"paused for 3 hours\"}},\"field\":\"message_template_status_update\"},"
        + "{\"value\":{\"messaging_product\":\"whatsapp\",\"statuses\":[]},\"field\":\"messages\"}]}],"
        + "\"object\":\"whatsapp_business_account\"}";
    assertThat(MetaTemplateStatus.mayContainUpdates(Buffer.buffer(body))).isTrue();
    List<MetaTemplateStatus.Update> updates = MetaTemplateStatus.updates(Buffer.buffer(body));
    assertThat(updates).hasSize(3);
    assertThat(updates.get(0)).isEqualTo(new MetaTemplateStatus.Update("102290129340398", "1689556908129832",
        "order_confirmation", "en-US", "APPROVED", null));
    assertThat(updates.get(1).reason()).isEqualTo("INVALID_FORMAT: Your template has parameters placed next to each other");
    assertThat(updates.get(2).language()).isEqualTo("pt-BR");
    assertThat(updates.get(2).reason()).isEqualTo("FIRST_PAUSE: paused for 3 hours");
    assertThat(updates).extracting(u -> MetaTemplateStatus.registryStatus(u.event()))
        .containsExactly("approved", "rejected", "paused");
    assertThat(MetaTemplateStatus.registryStatus("FLAGGED")).isNull();
    assertThat(MetaTemplateStatus.registryStatus("DELETED")).isEqualTo("disabled");
    assertThat(MetaTemplateStatus.updates(Buffer.buffer("not json"))).isEmpty();
    assertThat(MetaTemplateStatus.mayContainUpdates(Buffer.buffer("{\"entry\":[]}"))).isFalse();
  }
}
