package dev.esprouter.providers.meta;

import static dev.esprouter.providers.send.SendFixtures.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Recipient;
import dev.esprouter.providers.send.ProviderCall;
import dev.esprouter.providers.send.ProviderResponse;
import dev.esprouter.providers.send.SendOutcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MetaSendDialectTest {

  private final MetaSendDialect dialect = new MetaSendDialect("tok", "1055", "v21.0");
  private final Recipient r = new Recipient("msg_1", "+14155550123", new JsonObject().put("2", "#1234").put("1", "Ada"), null);

  @Test
  @DisplayName("A template send has positional body parameters in order and the router id as biz_opaque_callback_data")
  void template() {
    Content c = new Content(null, null, null, null, null, "order_update", "en_US");
    List<ProviderCall> calls = dialect.calls(chunk(Channel.WHATSAPP, c, List.of(r)), List.of(r));
    assertThat(calls.get(0).path()).isEqualTo("/v21.0/1055/messages");
    JsonObject body = calls.get(0).body().toJsonObject();
    assertThat(body.getString("to")).isEqualTo("14155550123");
    assertThat(body.getString("biz_opaque_callback_data")).isEqualTo("msg_1");
    assertThat(body.getJsonObject("template").getJsonArray("components").getJsonObject(0).getJsonArray("parameters")
        .encode()).isEqualTo("[{\"type\":\"text\",\"text\":\"Ada\"},{\"type\":\"text\",\"text\":\"#1234\"}]");
  }

  @Test
  @DisplayName("The canonical language goes as Meta's code (pt-BR → pt_BR, en → en); header and URL button "
      + "parameters come from header.1 / header.image and button.<index>; other data keys are not sent")
  void languageAndComponents() {
    JsonObject data = new JsonObject().put("1", "Ada").put("header.1", "A-17").put("button.1", "A-17")
        .put("name", "not a parameter");
    JsonObject t = MetaSendDialect.template(new Content(null, null, null, null, null, "order_update", "pt-BR"), data);
    assertThat(t.getJsonObject("language").getString("code")).isEqualTo("pt_BR");
    assertThat(t.getJsonArray("components").encode()).isEqualTo("[{\"type\":\"header\",\"parameters\":"
        + "[{\"type\":\"text\",\"text\":\"A-17\"}]},{\"type\":\"body\",\"parameters\":[{\"type\":\"text\","
        + "\"text\":\"Ada\"}]},{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"1\",\"parameters\":"
        + "[{\"type\":\"text\",\"text\":\"A-17\"}]}]");
    JsonObject media = MetaSendDialect.template(new Content(null, null, null, null, null, "promo", "en"),
        new JsonObject().put("header.image", "https://img.example/a.png"));
    assertThat(media.getJsonObject("language").getString("code")).isEqualTo("en");
    assertThat(media.getJsonArray("components").getJsonObject(0).getJsonArray("parameters").getJsonObject(0).encode())
        .isEqualTo("{\"type\":\"image\",\"image\":{\"link\":\"https://img.example/a.png\"}}");
    assertThat(MetaSendDialect.template(new Content(null, null, null, null, null, "promo", null), null)
        .encode()).isEqualTo("{\"name\":\"promo\",\"language\":{\"code\":\"en_US\"}}");
  }

  @Test
  @DisplayName("A text send is rendered for the recipient")
  void text() {
    Content c = new Content(null, null, null, null, "Order {{2}} for {{1}}", null, null);
    JsonObject body = dialect.calls(chunk(Channel.WHATSAPP, c, List.of(r)), List.of(r)).get(0).body().toJsonObject();
    assertThat(body.getJsonObject("text").getString("body")).isEqualTo("Order #1234 for Ada");
  }

  @Test
  @DisplayName("Error codes: 130429 throttled, 131000 transient, 131026 rejected, 190 config; 200 gives the wamid")
  void classes() {
    Content c = new Content(null, null, null, null, "hi", null, null);
    ProviderCall call = dialect.calls(chunk(Channel.WHATSAPP, c, List.of(r)), List.of(r)).get(0);
    assertThat(dialect.classify(call, ProviderResponse.of(200, Buffer.buffer(
        "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+14155550123\",\"wa_id\":\"14155550123\"}],"
            + "\"messages\":[{\"id\":\"wamid.HBgL\"}]}"))).recipients().get(0).providerMessageId()).isEqualTo("wamid.HBgL");
    assertThat(dialect.classify(call, error(400, 130429)).call()).isEqualTo(SendOutcome.THROTTLED);
    assertThat(dialect.classify(call, error(500, 131000)).call()).isEqualTo(SendOutcome.TRANSIENT);
    assertThat(dialect.classify(call, error(400, 131026)).recipients().get(0).outcome()).isEqualTo(SendOutcome.REJECTED);
    assertThat(dialect.classify(call, error(401, 190)).call()).isEqualTo(SendOutcome.CONFIG);
  }

  private static ProviderResponse error(int status, int code) {
    return ProviderResponse.of(status, Buffer.buffer("{\"error\":{\"message\":\"(#" + code + ") x\",\"type\":\"OAuthException\","
        + "\"code\":" + code + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"d\"},\"fbtrace_id\":\"f\"}}"));
  }
}
