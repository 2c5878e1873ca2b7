package dev.esprouter.providers.postmark;

import static dev.esprouter.providers.send.SendFixtures.emailChunk;
import static dev.esprouter.providers.send.SendFixtures.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Recipient;
import dev.esprouter.providers.send.CallResult;
import dev.esprouter.providers.send.ProviderCall;
import dev.esprouter.providers.send.ProviderResponse;
import dev.esprouter.providers.send.RecipientOutcome;
import dev.esprouter.providers.send.SendOutcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PostmarkSendDialectTest {

  private final PostmarkSendDialect dialect = new PostmarkSendDialect("pm-token", "outbound");
  private final List<Recipient> three = List.of(recipient("msg_1", "a@x.com", "Ann"),
      recipient("msg_2", "b@x.com", "<b>"), recipient("msg_3", "c@x.com", "Cy"));

  @Test
  @DisplayName("A batch holds one rendered message per recipient with the router id in Metadata")
  void body() {
    ProviderCall call = dialect.calls(emailChunk(three), three).get(0);
    assertThat(call.path()).isEqualTo("/email/batch");
    assertThat(call.headers()).containsEntry("X-Postmark-Server-Token", "pm-token");
    JsonArray body = call.body().toJsonArray();
    assertThat(body).hasSize(3);
    JsonObject m = body.getJsonObject(1);
    assertThat(m.getString("To")).isEqualTo("b@x.com");
    assertThat(m.getString("HtmlBody")).isEqualTo("<p>Hi &lt;b&gt;</p>");
    assertThat(m.getString("TextBody")).isEqualTo("Hi <b>");
    assertThat(m.getJsonObject("Metadata").getString("esp_message_id")).isEqualTo("msg_2");
    assertThat(m.getString("MessageStream")).isEqualTo("outbound");
  }

  @Test
  @DisplayName("More than 500 recipients take several batch calls")
  void batchLimit() {
    List<Recipient> many = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      many.add(recipient("msg_" + i, i + "@x.com", null));
    }
    assertThat(dialect.calls(emailChunk(many), many)).extracting(c -> c.recipients().size()).containsExactly(500, 1);
  }

  @Test
  @DisplayName("Batch elements are judged one by one: accepted, inactive recipient rejected, rate limit throttled")
  void perElement() {
    ProviderCall call = dialect.calls(emailChunk(three), three).get(0);
    String recorded = "[{\"ErrorCode\":0,\"Message\":\"OK\",\"MessageID\":\"b7bc2f4a-e38e-4336-af7d-e6c392c2f817\","
        + "\"SubmittedAt\":\"2010-11-26T12:01:05.1794748-05:00\",\"To\":\"a@x.com\"},"
        + "{\"ErrorCode\":406,\"Message\":\"You tried to send to a recipient that has been marked as inactive.\"},"
        + "{\"ErrorCode\":429,\"Message\":\"Rate limit exceeded\"}]";
    CallResult r = dialect.classify(call, ProviderResponse.of(200, Buffer.buffer(recorded)));
    assertThat(r.call()).isEqualTo(SendOutcome.ACCEPTED);
    assertThat(r.recipients()).extracting(RecipientOutcome::outcome)
        .containsExactly(SendOutcome.ACCEPTED, SendOutcome.REJECTED, SendOutcome.THROTTLED);
    assertThat(r.recipients().get(0).providerMessageId()).isEqualTo("b7bc2f4a-e38e-4336-af7d-e6c392c2f817");
    assertThat(r.recipients().get(1).reason()).contains("406");
  }

  @Test
  @DisplayName("A 200 whose elements do not match the request marks nobody sent")
  void malformed() {
    ProviderCall call = dialect.calls(emailChunk(three), three).get(0);
    CallResult r = dialect.classify(call, ProviderResponse.of(200, Buffer.buffer("[]")));
    assertThat(r.recipients()).extracting(RecipientOutcome::outcome).containsOnly(SendOutcome.TRANSIENT);
  }

  @Test
  @DisplayName("Whole-call errors: 401 and ErrorCode 10 config, 422 ErrorCode 300 rejected, 500 transient, 429 throttled")
  void wholeCall() {
    ProviderCall call = dialect.calls(emailChunk(three), three).get(0);
    assertThat(dialect.classify(call, ProviderResponse.of(401, Buffer.buffer(
        "{\"ErrorCode\":10,\"Message\":\"Bad or missing API token\"}"))).call()).isEqualTo(SendOutcome.CONFIG);
    assertThat(dialect.classify(call, ProviderResponse.of(422, Buffer.buffer(
        "{\"ErrorCode\":300,\"Message\":\"Invalid email request\"}"))).recipients())
        .extracting(RecipientOutcome::outcome).containsOnly(SendOutcome.REJECTED);
    assertThat(dialect.classify(call, ProviderResponse.of(422, Buffer.buffer(
        "{\"ErrorCode\":412,\"Message\":\"Account pending\"}"))).call()).isEqualTo(SendOutcome.CONFIG);
    assertThat(dialect.classify(call, ProviderResponse.of(500, Buffer.buffer())).call()).isEqualTo(SendOutcome.TRANSIENT);
    assertThat(dialect.classify(call, ProviderResponse.of(429, Buffer.buffer())).call()).isEqualTo(SendOutcome.THROTTLED);
  }
}
