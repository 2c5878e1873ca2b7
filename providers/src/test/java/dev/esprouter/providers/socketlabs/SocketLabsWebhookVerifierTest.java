package dev.esprouter.providers.socketlabs;

import static dev.esprouter.providers.webhook.TestConfigs.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.webhook.MalformedWebhookException;
import dev.esprouter.providers.webhook.TestConfigs;
import dev.esprouter.providers.webhook.Verdict;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SocketLabsWebhookVerifierTest {

  private static final Map<String, String> LIVE = Map.of("SOCKETLABS_WEBHOOK_SECRET", "slsecret",
      "SOCKETLABS_WEBHOOK_VALIDATION_KEY", "slvalidation", "SOCKETLABS_SERVER_ID", "12345",
      "SOCKETLABS_API_KEY", "k");

  private static SocketLabsWebhookVerifier verifier(ProvidersMode mode, Map<String, String> env) {
    return SocketLabsWebhookVerifier.from(TestConfigs.settings(ProviderName.SOCKETLABS, mode, env), mode);
  }

  private static Verdict verify(SocketLabsWebhookVerifier v, String body) {
    return v.verify(request(Buffer.buffer(body), Instant.now()));
  }

  private static String event(String secret, String serverId) {
    return "{\"Type\":\"Delivered\",\"DateTime\":\"2026-11-23T17:20:04Z\",\"MessageId\":\"msg_1\","
        + "\"Address\":\"a@example.com\",\"ServerId\":" + serverId + ",\"SecretKey\":\"" + secret + "\"}";
  }

  @Test
  @DisplayName("The SecretKey in the payload must match; an accepted notification is answered with the validation key")
  void secretKey() {
    SocketLabsWebhookVerifier v = verifier(ProvidersMode.LIVE, LIVE);
    Verdict ok = verify(v, event("slsecret", "12345"));
    assertThat(ok.accepted()).isTrue();
    assertThat(ok.responseBody()).isEqualTo("slvalidation");
    assertThat(verify(v, event("wrong", "12345")).accepted()).isFalse();
    assertThat(verify(v, "{\"Type\":\"Delivered\",\"ServerId\":12345}").reason()).contains("missing SecretKey");
  }

  @Test
  @DisplayName("A notification for another SocketLabs server is refused even with our secret")
  void serverId() {
    assertThat(verify(verifier(ProvidersMode.LIVE, LIVE), event("slsecret", "99999")).reason()).contains("ServerId");
  }

  @Test
  @DisplayName("The validation handshake (Type=Validation, also form-encoded) is answered with the validation key")
  void validationHandshake() {
    SocketLabsWebhookVerifier v = verifier(ProvidersMode.LIVE, LIVE);
    Verdict json = verify(v, "{\"Type\":\"Validation\",\"ServerId\":12345,\"SecretKey\":\"slsecret\"}");
    Verdict form = verify(v, "Type=Validation&ServerId=12345&SecretKey=slsecret");
    assertThat(json.responseBody()).isEqualTo("slvalidation");
    assertThat(form.responseBody()).isEqualTo("slvalidation");
  }

  @Test
  @DisplayName("During a rotation the _NEXT secret key is accepted too")
  void rotation() {
    SocketLabsWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("SOCKETLABS_WEBHOOK_SECRET", "old",
        "SOCKETLABS_WEBHOOK_SECRET_NEXT", "new"));
    assertThat(verify(v, event("old", "1")).accepted()).isTrue();
    assertThat(verify(v, event("new", "1")).accepted()).isTrue();
  }

  @Test
  @DisplayName("Live mode without a secret refuses all; sandbox mode trusts the sandbox secret and validation key")
  void failClosedAndSandbox() {
    String sandboxEvent = event(SandboxSecrets.SOCKETLABS_WEBHOOK_SECRET, "1");
    assertThat(verify(verifier(ProvidersMode.LIVE, Map.of()), sandboxEvent).accepted()).isFalse();
    Verdict sandbox = verify(verifier(ProvidersMode.SANDBOX, Map.of()), sandboxEvent);
    assertThat(sandbox.accepted()).isTrue();
    assertThat(sandbox.responseBody()).isEqualTo(SandboxSecrets.SOCKETLABS_WEBHOOK_VALIDATION_KEY);
  }

  @Test
  @DisplayName("A body that is neither JSON nor a form cannot carry a secret and is malformed")
  void unreadable() {
    assertThatThrownBy(() -> verify(verifier(ProvidersMode.LIVE, LIVE), "{\"SecretKey\":"))
        .isInstanceOf(MalformedWebhookException.class);
  }
}
