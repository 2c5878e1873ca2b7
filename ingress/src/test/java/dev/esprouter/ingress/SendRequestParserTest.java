package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.Priority;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Send requests are validated field by field")
class SendRequestParserTest {

  @ParameterizedTest(name = "{0} is an email address")
  @ValueSource(strings = {"alice@example.com", "a.b+tag@sub.example.co.uk", "jörg@bücher.example", "用户@例子.广告",
      "o'neil@example.com", "x@xn--bcher-kva.example"})
  @DisplayName("Valid and internationalized email addresses are accepted")
  void goodEmails(String address) {
    assertThat(Addresses.emailProblem(address)).isNull();
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(strings = {"bob@", "@example.com", "bob", "bob@example", "bob..x@example.com", ".bob@example.com",
      "bob.@example.com", "bob@-example.com", "bob@example-.com", "bob@exa mple.com", "bob@example.123",
      "\"q\"@example.com", "bob@example.com\n", "a@b@example.com", "bob@example..com"})
  @DisplayName("Malformed email addresses are refused")
  void badEmails(String address) {
    assertThat(Addresses.emailProblem(address)).isNotNull();
  }

  @ParameterizedTest(name = "{0} on {1}: {2}")
  @CsvSource({
      "+14155550123, whatsapp, true", "14155550123, whatsapp, false", "+0123456789, whatsapp, false",
      "+1415555012345678, whatsapp, false", "123456789, telegram, true", "-1001234567890, telegram, true",
      "@my_channel, telegram, true", "@ab, telegram, false", "12ab, telegram, false", "0, telegram, false"})
  @DisplayName("WhatsApp takes E.164 numbers and Telegram takes chat ids")
  void phoneAndChat(String to, String channel, boolean ok) {
    assertThat(Addresses.recipientProblem(dev.esprouter.common.Channel.fromWire(channel), to) == null).isEqualTo(ok);
  }

  @Test
  @DisplayName("A valid message keeps its content, data, metadata, and defaults to the high lane")
  void message() {
    SingleMessage m = SendRequestParser.message(Bodies.email("alice@example.com").toBuffer());
    assertThat(m.request().priority()).isEqualTo(Priority.HIGH);
    assertThat(m.recipient().messageId()).startsWith("msg_");
    assertThat(m.recipient().data().getString("name")).isEqualTo("Alice");
    assertThat(m.recipient().metadata().getString("order_id")).isEqualTo("A-17");
    assertThat(m.request().content().from()).isEqualTo("Shop <noreply@shop.example>");
  }

  @Test
  @DisplayName("A batch defaults to the normal lane and merges batch metadata under each recipient's own")
  void batchDefaults() {
    JsonObject body = Bodies.batch(2).put("metadata", new JsonObject().put("a", 1).put("b", 1));
    body.getJsonArray("recipients").getJsonObject(1).put("metadata", new JsonObject().put("b", 2));
    BatchRequest b = SendRequestParser.batch(body.toBuffer());
    assertThat(b.request().priority()).isEqualTo(Priority.NORMAL);
    assertThat(b.accepted().get(0).recipient().metadata().encode()).isEqualTo("{\"a\":1,\"b\":1}");
    assertThat(b.accepted().get(1).recipient().metadata().encode()).isEqualTo("{\"a\":1,\"b\":2}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"channel\":\"email\",\"from\":\"x@example.com\",\"template\":\"t\"} | missing_field | to",
      "{\"channel\":\"fax\",\"to\":\"a@b.co\"}                       | invalid_field     | channel",
      "{\"channel\":5}                                               | invalid_field     | channel",
      "{\"channel\":\"email\",\"to\":\"a@example.com\",\"bcc\":\"x\"} | unknown_field     | bcc",
      "{\"channel\":\"email\",\"from\":\"x@example.com\",\"template\":\"t\",\"to\":[\"a@example.com\"]} | invalid_recipient | to",
      "{\"channel\":\"email\",\"to\":\"a@example.com\"}               | missing_field     | from",
      "{\"channel\":\"email\",\"to\":\"a@example.com\",\"from\":\"x@example.com\",\"subject\":\"s\"} | missing_field | html",
      "{\"channel\":\"email\",\"to\":\"a@example.com\",\"from\":\"x@example.com\",\"template\":\"t\",\"subject\":\"a\\r\\nBcc: v@x.com\"} | invalid_field | subject",
      "{\"channel\":\"email\",\"to\":\"a@example.com\",\"from\":\"x@example.com\\nBcc: v@x.com\",\"template\":\"t\"} | invalid_field | from",
      "{\"channel\":\"email\",\"to\":\"a@example.com\",\"from\":\"x@example.com\",\"template\":\"t\",\"reply_to\":\"nope\"} | invalid_field | reply_to",
      "{\"channel\":\"email\",\"to\":\"a@example.com\",\"from\":\"x@example.com\",\"template\":\"t\",\"data\":[1]} | invalid_field | data",
      "{\"channel\":\"email\",\"to\":\"a@example.com\",\"from\":\"x@example.com\",\"template\":\"t\",\"priority\":\"urgent\"} | invalid_field | priority",
      "{\"channel\":\"email\",\"to\":\"a@example.com\",\"from\":\"x@example.com\",\"template\":\"t\",\"provider\":\"meta\"} | invalid_field | provider",
      "{\"channel\":\"email\",\"to\":\"a@example.com\",\"from\":\"x@example.com\",\"template\":\"t\",\"send_at\":\"soon\"} | invalid_field | send_at",
      "{\"channel\":\"telegram\",\"to\":\"12345\",\"template\":\"t\",\"locale\":\"xx\"} | invalid_field | locale",
      "{\"channel\":\"whatsapp\",\"to\":\"+14155550123\",\"template\":\"t\",\"locale\":\"pt-XX\"} | invalid_field | locale",
      "{\"channel\":\"telegram\",\"to\":\"12345\",\"text\":\"hi\",\"subject\":\"s\"} | invalid_field | subject",
      "{\"channel\":\"whatsapp\",\"to\":\"+14155550123\"}              | missing_field     | text",
      "[1,2]                                                          | invalid_json      | ",
      "{\"channel\":                                                  | invalid_json      | "})
  @DisplayName("Each invalid message names its field and a stable code")
  void invalid(String body, String code, String field) {
    assertThatThrownBy(() -> SendRequestParser.message(io.vertx.core.buffer.Buffer.buffer(body)))
        .isInstanceOfSatisfying(Invalid.class, e -> {
          assertThat(e.error().code()).isEqualTo(code);
          assertThat(e.error().field()).isEqualTo(field);
          assertThat(e.error().status()).isEqualTo(400);
        });
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"en_US, en-US", "pt_BR, pt-BR", "pt-BR, pt-BR", "PT-br, pt-BR", "en, en", "zh_TW, zh-TW"})
  @DisplayName("A locale may be BCP 47 or Meta's code; it is kept in the canonical form; a Telegram message may "
      + "name a template")
  void locales(String given, String canonical) {
    JsonObject body = new JsonObject().put("channel", "whatsapp").put("to", "+14155550123").put("template", "t")
        .put("locale", given);
    assertThat(SendRequestParser.message(body.toBuffer()).request().content().locale()).isEqualTo(canonical);
    JsonObject telegram = new JsonObject().put("channel", "telegram").put("to", "12345").put("template", "welcome")
        .put("locale", given);
    assertThat(SendRequestParser.message(telegram.toBuffer()).request().content().template()).isEqualTo("welcome");
  }

  @Test
  @DisplayName("Metadata over 4 KiB is refused")
  void metadataLimit() {
    JsonObject body = Bodies.email("a@example.com").put("metadata", new JsonObject().put("k", "v".repeat(4100)));
    assertThatThrownBy(() -> SendRequestParser.message(body.toBuffer()))
        .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.error().field()).isEqualTo("metadata"));
  }

  @Test
  @DisplayName("A batch with no valid recipient is refused as a whole, naming the first bad one")
  void noValidRecipient() {
    JsonObject body = Bodies.batch(2);
    body.getJsonArray("recipients").getJsonObject(0).put("to", "x");
    body.getJsonArray("recipients").getJsonObject(1).put("to", "y");
    assertThatThrownBy(() -> SendRequestParser.batch(body.toBuffer()))
        .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.error().field()).isEqualTo("recipients[0]"));
  }
}
