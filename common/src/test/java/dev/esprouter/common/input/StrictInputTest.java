package dev.esprouter.common.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.http.ApiError;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Strict input: UTF-8, NUL, surrogates, media type, ids")
class StrictInputTest {

  private static Buffer bytes(int... b) {
    Buffer out = Buffer.buffer();
    for (int x : b) {
      out.appendByte((byte) x);
    }
    return out;
  }

  private static Buffer json(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("well-formed UTF-8 of every length passes; overlong, CESU, past U+10FFFF and truncated forms do not")
  void utf8() {
    assertThat(Utf8.firstMalformed(json("a/é€😀"))).isEqualTo(-1);
    assertThat(Utf8.firstMalformed(bytes('a', 0xC0, 0xAF))).isEqualTo(1); // overlong '/'
    assertThat(Utf8.firstMalformed(bytes(0xE0, 0x80, 0xAF))).isZero(); // overlong three-byte '/'
    assertThat(Utf8.firstMalformed(bytes(0xF0, 0x80, 0x80, 0xAF))).isZero(); // overlong four-byte
    assertThat(Utf8.firstMalformed(bytes(0xED, 0xA0, 0x80))).isZero(); // CESU-8 surrogate U+D800
    assertThat(Utf8.firstMalformed(bytes(0xED, 0x9F, 0xBF))).isEqualTo(-1); // U+D7FF is fine
    assertThat(Utf8.firstMalformed(bytes(0xF4, 0x90, 0x80, 0x80))).isZero(); // past U+10FFFF
    assertThat(Utf8.firstMalformed(bytes(0xF4, 0x8F, 0xBF, 0xBF))).isEqualTo(-1); // U+10FFFF
    assertThat(Utf8.firstMalformed(bytes('x', 0xE2, 0x82))).isEqualTo(1); // truncated
    assertThat(Utf8.firstMalformed(bytes(0x80))).isZero(); // stray continuation byte
    assertThat(Utf8.firstMalformed(bytes(0xFF))).isZero();
  }

  @Test
  @DisplayName("a NUL or a lone surrogate in any key or value is found with its field path")
  void unstorableStrings() {
    assertThat(JsonStrings.firstUnstorable(json("{\"a\":\"fine \\\\u0000 text\",\"b\":[\"\\ud83d\\ude00\"]}")))
        .isNull();
    assertThat(JsonStrings.firstUnstorable(json("{\"metadata\":{\"k\":\"x\\u0000\"}}")))
        .isEqualTo(new JsonStrings.Problem("metadata.k", "holds a NUL character"));
    assertThat(JsonStrings.firstUnstorable(json("{\"recipients\":[{\"to\":\"a\"},{\"data\":{\"n\":\"\\uD800\"}}]}")))
        .isEqualTo(new JsonStrings.Problem("recipients[1].data.n", "holds a lone UTF-16 surrogate"));
    assertThat(JsonStrings.firstUnstorable(json("{\"metadata\":{\"k\\u0000\":1}}")))
        .isEqualTo(new JsonStrings.Problem("metadata", "a key holds a NUL character"));
    assertThat(JsonStrings.firstUnstorable(json("{\"text\":\"raw\u0000nul\"}")))
        .isEqualTo(new JsonStrings.Problem("text", "holds a NUL character"));
    assertThat(JsonStrings.firstUnstorable(json("[\"\\u0000\"]")).field()).isEqualTo("[0]");
  }

  @Test
  @DisplayName("bodyProblem answers invalid_utf8 for bad bytes and invalid_field naming the field for NUL")
  void bodyProblem() {
    ApiError utf = StrictInput.bodyProblem(bytes('{', '"', 't', 'o', '"', ':', '"', 0xC0, 0xAF, '"', '}'));
    assertThat(utf.status()).isEqualTo(400);
    assertThat(utf.code()).isEqualTo("invalid_utf8");
    ApiError nul = StrictInput.bodyProblem(json("{\"to\":\"a@b.c\",\"metadata\":{\"x\":\"\\u0000\"}}"));
    assertThat(nul.code()).isEqualTo("invalid_field");
    assertThat(nul.field()).isEqualTo("metadata.x");
    assertThat(StrictInput.bodyProblem(json("{\"to\":\"a@b.c\"}"))).isNull();
  }

  @Test
  @DisplayName("only application/json (charset UTF-8 if given) is a JSON body's media type")
  void mediaType() {
    assertThat(StrictInput.mediaTypeProblem("application/json")).isNull();
    assertThat(StrictInput.mediaTypeProblem("Application/JSON; charset=\"UTF-8\"")).isNull();
    assertThat(StrictInput.mediaTypeProblem(null).status()).isEqualTo(415);
    assertThat(StrictInput.mediaTypeProblem("text/plain").status()).isEqualTo(415);
    assertThat(StrictInput.mediaTypeProblem("application/x-www-form-urlencoded").status()).isEqualTo(415);
    assertThat(StrictInput.mediaTypeProblem("application/xml").status()).isEqualTo(415);
    assertThat(StrictInput.mediaTypeProblem("application/json; charset=iso-8859-1").status()).isEqualTo(415);
  }

  @Test
  @DisplayName("ids percent-decode to UTF-8 without control characters")
  void ids() {
    assertThat(UriCheck.clean("/v1/messages/msg_01HZ")).isTrue();
    assertThat(UriCheck.clean("/v1/suppressions/jos%C3%A9%40example.com")).isTrue();
    assertThat(UriCheck.clean("/v1/messages/msg_%00")).isFalse();
    assertThat(UriCheck.clean("/v1/messages/%C0%AF")).isFalse();
    assertThat(UriCheck.clean("/v1/messages/%ZZ")).isFalse();
    assertThat(UriCheck.clean("/v1/messages/abc%")).isFalse();
    assertThat(UriCheck.clean("after=%0A")).isFalse();
  }
}
