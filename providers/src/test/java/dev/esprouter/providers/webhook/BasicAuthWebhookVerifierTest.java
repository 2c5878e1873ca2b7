package dev.esprouter.providers.webhook;

import static dev.esprouter.providers.webhook.BasicAuthWebhookVerifier.header;
import static dev.esprouter.providers.webhook.TestConfigs.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.postmark.PostmarkWebhookVerifier;
import dev.esprouter.providers.sparkpost.SparkPostWebhookVerifier;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BasicAuthWebhookVerifierTest {

  private final Buffer body = Buffer.buffer("{\"RecordType\":\"Delivery\"}");

  private static WebhookVerifier postmark(ProvidersMode mode, Map<String, String> env) {
    return PostmarkWebhookVerifier.from(TestConfigs.settings(ProviderName.POSTMARK, mode, env), mode);
  }

  private boolean accepts(WebhookVerifier v, String... headers) {
    return v.verify(request(body, Instant.now(), headers)).accepted();
  }

  @Test
  @DisplayName("Postmark: the configured user and password verify; a wrong password, user or scheme does not")
  void postmark() {
    WebhookVerifier v = postmark(ProvidersMode.LIVE, Map.of("POSTMARK_WEBHOOK_USER", "pm",
        "POSTMARK_WEBHOOK_PASSWORD", "pw1"));
    assertThat(v.provider()).isEqualTo(ProviderName.POSTMARK);
    assertThat(accepts(v, "Authorization", header("pm", "pw1"))).isTrue();
    assertThat(accepts(v, "authorization", header("pm", "pw1").replace("Basic", "basic"))).isTrue();
    assertThat(accepts(v, "Authorization", header("pm", "pw2"))).isFalse();
    assertThat(accepts(v, "Authorization", header("px", "pw1"))).isFalse();
    assertThat(accepts(v, "Authorization", "Bearer pw1")).isFalse();
    assertThat(accepts(v, "Authorization", "Basic %%%")).isFalse();
    assertThat(accepts(v)).isFalse();
  }

  @Test
  @DisplayName("During a rotation the _NEXT password (with the current user) verifies as well as the current one")
  void rotation() {
    WebhookVerifier v = postmark(ProvidersMode.LIVE, Map.of("POSTMARK_WEBHOOK_USER", "pm",
        "POSTMARK_WEBHOOK_PASSWORD", "old", "POSTMARK_WEBHOOK_PASSWORD_NEXT", "new"));
    assertThat(accepts(v, "Authorization", header("pm", "old"))).isTrue();
    assertThat(accepts(v, "Authorization", header("pm", "new"))).isTrue();
    assertThat(accepts(v, "Authorization", header("pm", "older"))).isFalse();
  }

  @Test
  @DisplayName("Live mode without credentials, or with only a user, refuses all; sandbox mode trusts the sandbox pair")
  void failClosedAndSandbox() {
    String sandbox = header(SandboxSecrets.POSTMARK_WEBHOOK_USER, SandboxSecrets.POSTMARK_WEBHOOK_PASSWORD);
    assertThat(accepts(postmark(ProvidersMode.LIVE, Map.of()), "Authorization", sandbox)).isFalse();
    assertThat(accepts(postmark(ProvidersMode.LIVE, Map.of("POSTMARK_WEBHOOK_USER", "pm")), "Authorization",
        header("pm", ""))).isFalse();
    assertThat(accepts(postmark(ProvidersMode.SANDBOX, Map.of()), "Authorization", sandbox)).isTrue();
  }

  @Test
  @DisplayName("SparkPost: its own credentials verify, Postmark's do not")
  void sparkpost() {
    Map<String, String> env = Map.of("SPARKPOST_WEBHOOK_USER", "sp", "SPARKPOST_WEBHOOK_PASSWORD", "spw",
        "POSTMARK_WEBHOOK_USER", "pm", "POSTMARK_WEBHOOK_PASSWORD", "pw1");
    WebhookVerifier v = SparkPostWebhookVerifier.from(TestConfigs.settings(ProviderName.SPARKPOST,
        ProvidersMode.LIVE, env), ProvidersMode.LIVE);
    assertThat(accepts(v, "Authorization", header("sp", "spw"))).isTrue();
    assertThat(accepts(v, "Authorization", header("pm", "pw1"))).isFalse();
    String sandbox = header(SandboxSecrets.SPARKPOST_WEBHOOK_USER, SandboxSecrets.SPARKPOST_WEBHOOK_PASSWORD);
    assertThat(accepts(v, "Authorization", sandbox)).isFalse();
  }
}
