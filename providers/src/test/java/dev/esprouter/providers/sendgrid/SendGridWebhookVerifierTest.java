package dev.esprouter.providers.sendgrid;

import static dev.esprouter.providers.sendgrid.SendGridWebhookVerifier.SIGNATURE_HEADER;
import static dev.esprouter.providers.sendgrid.SendGridWebhookVerifier.TIMESTAMP_HEADER;
import static dev.esprouter.providers.webhook.TestConfigs.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ConfigException;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.webhook.Golden;
import dev.esprouter.providers.webhook.TestConfigs;
import dev.esprouter.providers.webhook.Verdict;
import io.vertx.core.buffer.Buffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SendGridWebhookVerifierTest {

  private static final Instant NOW = Instant.ofEpochSecond(1_763_920_800);
  private static final String TS = Long.toString(NOW.getEpochSecond());

  private final Buffer body = Golden.fixture("sendgrid-events.json");
  private final SendGridWebhookSigner sandboxSigner = SendGridWebhookSigner.fromBase64(SandboxSecrets.SENDGRID_PRIVATE_KEY);

  private static KeyPair newKeyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String base64(KeyPair kp) {
    return Base64.getEncoder().encodeToString(kp.getPublic().getEncoded());
  }

  private static SendGridWebhookVerifier verifier(ProvidersMode mode, Map<String, String> env) {
    return SendGridWebhookVerifier.from(TestConfigs.settings(ProviderName.SENDGRID, mode, env), mode);
  }

  private Verdict signedBy(SendGridWebhookVerifier v, SendGridWebhookSigner signer, String ts, Buffer sent) {
    return v.verify(request(sent, NOW, SIGNATURE_HEADER, signer.sign(ts, body), TIMESTAMP_HEADER, ts));
  }

  @Test
  @DisplayName("A body signed with the configured key over timestamp + raw body verifies")
  void valid() throws Exception {
    KeyPair kp = newKeyPair();
    SendGridWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("SENDGRID_WEBHOOK_PUBLIC_KEY", base64(kp)));
    assertThat(signedBy(v, new SendGridWebhookSigner(kp.getPrivate()), TS, body).accepted()).isTrue();
  }

  @Test
  @DisplayName("A signature made with another key is refused")
  void wrongKey() throws Exception {
    SendGridWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("SENDGRID_WEBHOOK_PUBLIC_KEY", base64(newKeyPair())));
    assertThat(signedBy(v, new SendGridWebhookSigner(newKeyPair().getPrivate()), TS, body).accepted()).isFalse();
  }

  @Test
  @DisplayName("One changed byte of the body breaks the signature")
  void tamperedBody() throws Exception {
    KeyPair kp = newKeyPair();
    SendGridWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("SENDGRID_WEBHOOK_PUBLIC_KEY", base64(kp)));
    Buffer tampered = body.copy();
    tampered.setByte(10, (byte) (tampered.getByte(10) ^ 1));
    Verdict verdict = signedBy(v, new SendGridWebhookSigner(kp.getPrivate()), TS, tampered);
    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains("does not verify");
  }

  @Test
  @DisplayName("A timestamp older or newer than 300 s is refused even with a valid signature; 300 s is still fine")
  void replayWindow() {
    SendGridWebhookVerifier v = verifier(ProvidersMode.SANDBOX, Map.of());
    String stale = Long.toString(NOW.getEpochSecond() - 301);
    String future = Long.toString(NOW.getEpochSecond() + 301);
    String edge = Long.toString(NOW.getEpochSecond() - 300);
    assertThat(signedBy(v, sandboxSigner, stale, body).reason()).contains("replay window");
    assertThat(signedBy(v, sandboxSigner, future, body).accepted()).isFalse();
    assertThat(signedBy(v, sandboxSigner, edge, body).accepted()).isTrue();
  }

  @Test
  @DisplayName("A request without the signature or the timestamp header is refused")
  void missingHeaders() {
    SendGridWebhookVerifier v = verifier(ProvidersMode.SANDBOX, Map.of());
    String sig = sandboxSigner.sign(TS, body);
    assertThat(v.verify(request(body, NOW, TIMESTAMP_HEADER, TS)).reason()).contains(SIGNATURE_HEADER);
    assertThat(v.verify(request(body, NOW, SIGNATURE_HEADER, sig)).reason()).contains(TIMESTAMP_HEADER);
    assertThat(v.verify(request(body, NOW, SIGNATURE_HEADER, "not base64!", TIMESTAMP_HEADER, TS)).accepted())
        .isFalse();
    assertThat(v.verify(request(body, NOW, SIGNATURE_HEADER, "AAAA", TIMESTAMP_HEADER, TS)).accepted()).isFalse();
  }

  @Test
  @DisplayName("During a rotation both the current and the _NEXT key verify")
  void rotation() throws Exception {
    KeyPair current = newKeyPair();
    KeyPair next = newKeyPair();
    SendGridWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("SENDGRID_WEBHOOK_PUBLIC_KEY", base64(current),
        "SENDGRID_WEBHOOK_PUBLIC_KEY_NEXT", base64(next)));
    assertThat(signedBy(v, new SendGridWebhookSigner(current.getPrivate()), TS, body).accepted()).isTrue();
    assertThat(signedBy(v, new SendGridWebhookSigner(next.getPrivate()), TS, body).accepted()).isTrue();
    assertThat(signedBy(v, new SendGridWebhookSigner(newKeyPair().getPrivate()), TS, body).accepted()).isFalse();
  }

  @Test
  @DisplayName("In live mode with no key configured everything is refused, even the sandbox's signature")
  void failClosed() {
    SendGridWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of());
    Verdict verdict = signedBy(v, sandboxSigner, TS, body);
    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains("no SendGrid webhook public key");
  }

  @Test
  @DisplayName("In sandbox mode the sandbox's well-known key verifies")
  void sandbox() {
    assertThat(signedBy(verifier(ProvidersMode.SANDBOX, Map.of()), sandboxSigner, TS, body).accepted()).isTrue();
  }

  @Test
  @DisplayName("A configured public key that is not a base64 EC key stops start-up naming the variable")
  void badKey() {
    assertThatThrownBy(() -> verifier(ProvidersMode.LIVE, Map.of("SENDGRID_WEBHOOK_PUBLIC_KEY", "bm90IGEga2V5")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SENDGRID_WEBHOOK_PUBLIC_KEY");
  }
}
