package dev.esprouter.providers.meta;

import static dev.esprouter.providers.meta.MetaWebhookVerifier.SIGNATURE_HEADER;
import static dev.esprouter.providers.webhook.TestConfigs.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.webhook.Golden;
import dev.esprouter.providers.webhook.TestConfigs;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MetaWebhookVerifierTest {

  private static final Instant NOW = Instant.now();
  private final Buffer body = Golden.fixture("meta-notification.json");

  private static MetaWebhookVerifier verifier(ProvidersMode mode, Map<String, String> env) {
    return MetaWebhookVerifier.from(TestConfigs.settings(ProviderName.META, mode, env), mode);
  }

  private boolean accepts(MetaWebhookVerifier v, Buffer sent, String signature) {
    return v.verify(request(sent, NOW, SIGNATURE_HEADER, signature)).accepted();
  }

  @Test
  @DisplayName("X-Hub-Signature-256 = sha256=hex(HMAC-SHA256(app secret, raw body)) verifies; another secret does not")
  void signature() {
    MetaWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("META_APP_SECRET", "s3cret"));
    assertThat(accepts(v, body, MetaWebhookVerifier.signature("s3cret", body.getBytes()))).isTrue();
    assertThat(accepts(v, body, MetaWebhookVerifier.signature("other", body.getBytes()))).isFalse();
  }

  @Test
  @DisplayName("A body changed after signing, even only re-serialized, is refused")
  void tampered() {
    MetaWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("META_APP_SECRET", "s3cret"));
    String sig = MetaWebhookVerifier.signature("s3cret", body.getBytes());
    assertThat(accepts(v, body.toJsonObject().toBuffer(), sig)).isFalse();
  }

  @Test
  @DisplayName("A missing header, a header without sha256= or with non-hex is refused")
  void missingHeader() {
    MetaWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("META_APP_SECRET", "s3cret"));
    String hex = MetaWebhookVerifier.signature("s3cret", body.getBytes()).substring("sha256=".length());
    assertThat(v.verify(request(body, NOW)).reason()).contains(SIGNATURE_HEADER);
    assertThat(accepts(v, body, hex)).isFalse();
    assertThat(accepts(v, body, "sha256=zz")).isFalse();
  }

  @Test
  @DisplayName("During a rotation both META_APP_SECRET and META_APP_SECRET_NEXT verify")
  void rotation() {
    MetaWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("META_APP_SECRET", "old", "META_APP_SECRET_NEXT", "new"));
    assertThat(accepts(v, body, MetaWebhookVerifier.signature("old", body.getBytes()))).isTrue();
    assertThat(accepts(v, body, MetaWebhookVerifier.signature("new", body.getBytes()))).isTrue();
  }

  @Test
  @DisplayName("Live mode without an app secret refuses all; sandbox mode trusts the sandbox secret")
  void failClosedAndSandbox() {
    String sandboxSig = MetaWebhookVerifier.signature(SandboxSecrets.META_APP_SECRET, body.getBytes());
    assertThat(accepts(verifier(ProvidersMode.LIVE, Map.of()), body, sandboxSig)).isFalse();
    assertThat(accepts(verifier(ProvidersMode.SANDBOX, Map.of()), body, sandboxSig)).isTrue();
  }

  @Test
  @DisplayName("The subscription GET returns hub.challenge only for mode subscribe and a matching verify token")
  void challenge() {
    MetaWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("META_APP_SECRET", "s", "META_VERIFY_TOKEN", "vt",
        "META_VERIFY_TOKEN_NEXT", "vt2"));
    assertThat(v.challenge(query("subscribe", "vt", "1158201444"))).contains("1158201444");
    assertThat(v.challenge(query("subscribe", "vt2", "42"))).contains("42");
    assertThat(v.challenge(query("subscribe", "wrong", "42"))).isEmpty();
    assertThat(v.challenge(query("unsubscribe", "vt", "42"))).isEmpty();
    assertThat(v.challenge(query("subscribe", null, "42"))).isEmpty();
    assertThat(verifier(ProvidersMode.LIVE, Map.of()).challenge(query("subscribe", "vt", "42"))).isEmpty();
  }

  private static MultiMap query(String mode, String token, String challenge) {
    MultiMap q = MultiMap.caseInsensitiveMultiMap().add("hub.mode", mode).add("hub.challenge", challenge);
    if (token != null) {
      q.add("hub.verify_token", token);
    }
    return q;
  }
}
