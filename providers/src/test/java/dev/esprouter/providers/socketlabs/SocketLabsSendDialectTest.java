package dev.esprouter.providers.socketlabs;

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
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SocketLabsSendDialectTest {

  private final SocketLabsSendDialect dialect = new SocketLabsSendDialect("12345", "legacykey", 500);
  private final List<Recipient> two = List.of(recipient("msg_1", "a@x.com", "<Ann>"), recipient("msg_2", "b@x.com", "Bo"));

  @Test
  @DisplayName("One bulk message with a merge row per recipient carrying address, router id and escaped HTML values")
  void body() {
    ProviderCall call = dialect.calls(emailChunk(two), two).get(0);
    JsonObject body = call.body().toJsonObject();
    assertThat(body.getLong("ServerId")).isEqualTo(12345L);
    assertThat(body.getString("ApiKey")).isEqualTo("legacykey");
    assertThat(call.headers()).doesNotContainKey("Authorization");
    JsonObject m = body.getJsonArray("Messages").getJsonObject(0);
    assertThat(m.getString("MessageId")).isEqualTo("%%EspMessageId%%");
    assertThat(m.getString("MailingId")).isEqualTo("bat_1");
    assertThat(m.getString("HtmlBody")).isEqualTo("<p>Hi %%EspH0%%</p>");
    assertThat(m.getString("Subject")).isEqualTo("Hi %%EspT0%%");
    JsonArray row = m.getJsonObject("MergeData").getJsonArray("PerMessage").getJsonArray(0);
    assertThat(row.encode()).contains("{\"Field\":\"DeliveryAddress\",\"Value\":\"a@x.com\"}",
        "{\"Field\":\"EspMessageId\",\"Value\":\"msg_1\"}", "{\"Field\":\"EspH0\",\"Value\":\"&lt;Ann&gt;\"}",
        "{\"Field\":\"EspT0\",\"Value\":\"<Ann>\"}");
  }

  @Test
  @DisplayName("A new-format key is also sent as a bearer token")
  void bearer() {
    SocketLabsSendDialect d = new SocketLabsSendDialect("12345", "abcdefghijklmnopqrst.secret", 500);
    assertThat(d.calls(emailChunk(two), two).get(0).headers())
        .containsEntry("Authorization", "Bearer abcdefghijklmnopqrst.secret");
  }

  @Test
  @DisplayName("Warning with an address refused rejects only that recipient")
  void warning() {
    ProviderCall call = dialect.calls(emailChunk(two), two).get(0);
    String recorded = "{\"ErrorCode\":\"Warning\",\"TransactionReceipt\":\"tr-1\",\"MessageResults\":[{\"Index\":0,"
        + "\"ErrorCode\":\"InvalidAddress\",\"AddressResults\":[{\"EmailAddress\":\"b@x.com\",\"Accepted\":false,"
        + "\"ErrorCode\":\"InvalidAddress\"}]}]}";
    CallResult r = dialect.classify(call, ProviderResponse.of(200, Buffer.buffer(recorded)));
    assertThat(r.recipients()).extracting(RecipientOutcome::outcome)
        .containsExactly(SendOutcome.ACCEPTED, SendOutcome.REJECTED);
    assertThat(r.recipients().get(0).providerMessageId()).isEqualTo("tr-1");
  }

  @Test
  @DisplayName("OverQuota throttles, InvalidAuthentication is config, EmptySubject rejected, HTTP 500 transient")
  void errorCodes() {
    ProviderCall call = dialect.calls(emailChunk(two), two).get(0);
    assertThat(dialect.classify(call, ProviderResponse.of(200, Buffer.buffer(
        "{\"ErrorCode\":\"OverQuota\",\"MessageResults\":[]}"))).call()).isEqualTo(SendOutcome.THROTTLED);
    assertThat(dialect.classify(call, ProviderResponse.of(200, Buffer.buffer(
        "{\"ErrorCode\":\"InvalidAuthentication\"}"))).call()).isEqualTo(SendOutcome.CONFIG);
    assertThat(dialect.classify(call, ProviderResponse.of(200, Buffer.buffer(
        "{\"ErrorCode\":\"EmptySubject\"}"))).recipients()).extracting(RecipientOutcome::outcome)
        .containsOnly(SendOutcome.REJECTED);
    assertThat(dialect.classify(call, ProviderResponse.of(500, Buffer.buffer())).call()).isEqualTo(SendOutcome.TRANSIENT);
    assertThat(dialect.classify(call, ProviderResponse.of(200, Buffer.buffer(
        "{\"ErrorCode\":\"Success\",\"TransactionReceipt\":\"t\",\"MessageResults\":[]}"))).recipients())
        .extracting(RecipientOutcome::outcome).containsOnly(SendOutcome.ACCEPTED);
  }
}
