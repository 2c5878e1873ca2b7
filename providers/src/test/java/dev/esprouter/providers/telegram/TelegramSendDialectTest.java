package dev.esprouter.providers.telegram;

import static dev.esprouter.providers.send.SendFixtures.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Recipient;
import dev.esprouter.providers.send.CallResult;
import dev.esprouter.providers.send.ProviderCall;
import dev.esprouter.providers.send.ProviderResponse;
import dev.esprouter.providers.send.SendOutcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TelegramSendDialectTest {

  private final TelegramSendDialect dialect = new TelegramSendDialect("123:abc");
  private final Recipient r = new Recipient("msg_1", "987654", new JsonObject().put("name", "Ann"), null);
  private final ProviderCall call = dialect.calls(chunk(Channel.TELEGRAM,
      new Content(null, null, null, null, "Hi {{name}}", null, null), List.of(r)), List.of(r)).get(0);

  @Test
  @DisplayName("sendMessage goes to the bot path with a numeric chat id and rendered text")
  void body() {
    assertThat(call.path()).isEqualTo("/bot123:abc/sendMessage");
    JsonObject body = call.body().toJsonObject();
    assertThat(body.getLong("chat_id")).isEqualTo(987654L);
    assertThat(body.getString("text")).isEqualTo("Hi Ann");
  }

  @Test
  @DisplayName("ok:true gives the message id; 429 honours retry_after; blocked is rejected; 401 config; 502 transient")
  void classes() {
    assertThat(dialect.classify(call, ProviderResponse.of(200, Buffer.buffer(
        "{\"ok\":true,\"result\":{\"message_id\":123,\"date\":1,\"chat\":{\"id\":987654},\"text\":\"Hi Ann\"}}")))
        .recipients().get(0).providerMessageId()).isEqualTo("123");
    CallResult t = dialect.classify(call, ProviderResponse.of(429, Buffer.buffer(
        "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 35\",\"parameters\":{\"retry_after\":35}}")));
    assertThat(t.call()).isEqualTo(SendOutcome.THROTTLED);
    assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(35));
    assertThat(dialect.classify(call, ProviderResponse.of(403, Buffer.buffer(
        "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}")))
        .recipients().get(0).outcome()).isEqualTo(SendOutcome.REJECTED);
    assertThat(dialect.classify(call, ProviderResponse.of(401, Buffer.buffer(
        "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}"))).call()).isEqualTo(SendOutcome.CONFIG);
    assertThat(dialect.classify(call, ProviderResponse.of(502, Buffer.buffer("<html>Bad Gateway</html>"))).call())
        .isEqualTo(SendOutcome.TRANSIENT);
  }
}
