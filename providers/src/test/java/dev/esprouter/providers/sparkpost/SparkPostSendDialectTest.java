package dev.esprouter.providers.sparkpost;

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
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SparkPostSendDialectTest {

  private final SparkPostSendDialect dialect = new SparkPostSendDialect("sp-key", Clock.systemUTC());
  private final List<Recipient> two = List.of(recipient("msg_1", "a@x.com", "Ann"), recipient("msg_2", "b@x.com", "Bo"));

  @Test
  @DisplayName("One transmission carries each recipient's router id in metadata and data as substitution_data")
  void body() {
    ProviderCall call = dialect.calls(emailChunk(two), two).get(0);
    assertThat(call.headers()).containsEntry("Authorization", "sp-key");
    JsonObject body = call.body().toJsonObject();
    JsonObject r1 = body.getJsonArray("recipients").getJsonObject(1);
    assertThat(r1.getJsonObject("address").getString("email")).isEqualTo("b@x.com");
    assertThat(r1.getJsonObject("metadata").getString("esp_message_id")).isEqualTo("msg_2");
    assertThat(r1.getJsonObject("substitution_data").getString("name")).isEqualTo("Bo");
    assertThat(body.getJsonObject("content").getString("html")).isEqualTo("<p>Hi {{name}}</p>");
  }

  @Test
  @DisplayName("200 accepts under the transmission id; a recipient named in rcpt_to_errors is rejected")
  void accepted() {
    ProviderCall call = dialect.calls(emailChunk(two), two).get(0);
    CallResult ok = dialect.classify(call, ProviderResponse.of(200, Buffer.buffer(
        "{\"results\":{\"total_rejected_recipients\":0,\"total_accepted_recipients\":2,\"id\":\"11668787484950529\"}}")));
    assertThat(ok.recipients()).extracting(RecipientOutcome::providerMessageId).containsOnly("11668787484950529");
    CallResult partial = dialect.classify(call, ProviderResponse.of(200, Buffer.buffer(
        "{\"errors\":[{\"message\":\"transmission created, but with validation errors\",\"code\":\"2000\"}],"
            + "\"results\":{\"rcpt_to_errors\":[{\"message\":\"invalid data format/type\","
            + "\"description\":\"Error while validating recipient address b@x.com\",\"code\":\"1202\"}],"
            + "\"total_rejected_recipients\":1,\"total_accepted_recipients\":1,\"id\":\"1\"}}")));
    assertThat(partial.recipients()).extracting(RecipientOutcome::outcome)
        .containsExactly(SendOutcome.ACCEPTED, SendOutcome.REJECTED);
  }

  @Test
  @DisplayName("420 sending limit and 429 throttle, 401 is config, 422 rejected, 503 transient")
  void classes() {
    ProviderCall call = dialect.calls(emailChunk(two), two).get(0);
    assertThat(dialect.classify(call, ProviderResponse.of(420, Buffer.buffer(
        "{\"errors\":[{\"message\":\"Exceed Sending Limit (hourly)\",\"code\":\"2101\"}]}"))).call())
        .isEqualTo(SendOutcome.THROTTLED);
    assertThat(dialect.classify(call, ProviderResponse.of(429, Buffer.buffer())).call()).isEqualTo(SendOutcome.THROTTLED);
    assertThat(dialect.classify(call, ProviderResponse.of(401, Buffer.buffer())).call()).isEqualTo(SendOutcome.CONFIG);
    assertThat(dialect.classify(call, ProviderResponse.of(422, Buffer.buffer(
        "{\"errors\":[{\"message\":\"required field is missing\",\"code\":\"1400\"}]}"))).recipients())
        .extracting(RecipientOutcome::outcome).containsOnly(SendOutcome.REJECTED);
    assertThat(dialect.classify(call, ProviderResponse.of(503, Buffer.buffer())).call()).isEqualTo(SendOutcome.TRANSIENT);
  }
}
