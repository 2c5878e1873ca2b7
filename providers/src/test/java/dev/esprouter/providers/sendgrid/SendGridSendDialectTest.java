package dev.esprouter.providers.sendgrid;

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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SendGridSendDialectTest {

  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
  private final SendGridSendDialect dialect = new SendGridSendDialect("SG.key", clock);
  private final List<Recipient> two = List.of(recipient("msg_1", "a@x.com", "<Ann>"), recipient("msg_2", "b@x.com", "Bo"));

  @Test
  @DisplayName("One personalization per recipient carries the router id in custom_args and substitutions escaped for HTML only")
  void body() {
    List<ProviderCall> calls = dialect.calls(emailChunk(two), two);
    assertThat(calls).hasSize(1);
    JsonObject body = calls.get(0).body().toJsonObject();
    assertThat(calls.get(0).path()).isEqualTo("/v3/mail/send");
    assertThat(calls.get(0).headers()).containsEntry("Authorization", "Bearer SG.key");
    JsonObject p0 = body.getJsonArray("personalizations").getJsonObject(0);
    assertThat(p0.getJsonArray("to").getJsonObject(0).getString("email")).isEqualTo("a@x.com");
    assertThat(p0.getJsonObject("custom_args").getString("esp_message_id")).isEqualTo("msg_1");
    assertThat(p0.getString("subject")).isEqualTo("Hi <Ann>");
    assertThat(p0.getJsonObject("substitutions").getMap()).containsEntry("-espH0-", "&lt;Ann&gt;")
        .containsEntry("-espT0-", "<Ann>");
    assertThat(body.getJsonArray("content").getJsonObject(0).getString("value")).isEqualTo("Hi -espT0-");
    assertThat(body.getJsonArray("content").getJsonObject(1).getString("value")).isEqualTo("<p>Hi -espH0-</p>");
    assertThat(body.getJsonObject("from").getString("email")).isEqualTo("noreply@shop.example");
    assertThat(body.getJsonObject("from").getString("name")).isEqualTo("Shop");
  }

  @Test
  @DisplayName("An address repeated in a chunk goes into a second call, since SendGrid rejects a call naming it twice")
  void duplicates() {
    List<Recipient> rs = List.of(recipient("msg_1", "a@x.com", null), recipient("msg_2", "A@x.com", null),
        recipient("msg_3", "b@x.com", null));
    List<ProviderCall> calls = dialect.calls(emailChunk(rs), rs);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).recipients()).extracting(Recipient::messageId).containsExactly("msg_1", "msg_3");
    assertThat(calls.get(1).recipients()).extracting(Recipient::messageId).containsExactly("msg_2");
  }

  @Test
  @DisplayName("202 accepts every recipient under the X-Message-Id")
  void accepted() {
    ProviderCall call = dialect.calls(emailChunk(two), two).get(0);
    CallResult r = dialect.classify(call, ProviderResponse.of(202, Buffer.buffer()).withHeader("X-Message-Id", "sgid"));
    assertThat(r.call()).isEqualTo(SendOutcome.ACCEPTED);
    assertThat(r.recipients()).extracting(RecipientOutcome::providerMessageId).containsExactly("sgid", "sgid");
  }

  @Test
  @DisplayName("429 is throttled until X-RateLimit-Reset; 5xx transient; 401 config; 413 rejected")
  void classes() {
    ProviderCall call = dialect.calls(emailChunk(two), two).get(0);
    CallResult t = dialect.classify(call, ProviderResponse.of(429,
            Buffer.buffer("{\"errors\":[{\"field\":null,\"message\":\"too many requests\"}]}"))
        .withHeader("X-RateLimit-Reset", "1700000007"));
    assertThat(t.call()).isEqualTo(SendOutcome.THROTTLED);
    assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(dialect.classify(call, ProviderResponse.of(503, Buffer.buffer())).call()).isEqualTo(SendOutcome.TRANSIENT);
    assertThat(dialect.classify(call, ProviderResponse.of(401, Buffer.buffer(
        "{\"errors\":[{\"message\":\"authorization required\"}]}"))).call()).isEqualTo(SendOutcome.CONFIG);
    CallResult big = dialect.classify(call, ProviderResponse.of(413, Buffer.buffer()));
    assertThat(big.recipients()).extracting(RecipientOutcome::outcome).containsOnly(SendOutcome.REJECTED);
    assertThat(dialect.classify(call, ProviderResponse.of(403, Buffer.buffer(
        "{\"errors\":[{\"message\":\"Too many bad requests. Temporary block\"}]}"))).call())
        .isEqualTo(SendOutcome.THROTTLED);
  }

  @Test
  @DisplayName("A 400 naming one personalization rejects that recipient and sends the others elsewhere")
  void badPersonalization() {
    ProviderCall call = dialect.calls(emailChunk(two), two).get(0);
    CallResult r = dialect.classify(call, ProviderResponse.of(400, Buffer.buffer(
        "{\"errors\":[{\"message\":\"Does not contain a valid address.\",\"field\":\"personalizations.1.to.0.email\"}]}")));
    assertThat(r.call()).isEqualTo(SendOutcome.ACCEPTED);
    assertThat(r.recipients()).extracting(RecipientOutcome::outcome)
        .containsExactly(SendOutcome.TRANSIENT, SendOutcome.REJECTED);
    CallResult whole = dialect.classify(call, ProviderResponse.of(400, Buffer.buffer(
        "{\"errors\":[{\"message\":\"The from object must be provided\",\"field\":\"from\"}]}")));
    assertThat(whole.recipients()).extracting(RecipientOutcome::outcome).containsOnly(SendOutcome.REJECTED);
  }
}
