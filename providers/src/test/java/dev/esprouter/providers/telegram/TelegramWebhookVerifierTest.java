package dev.esprouter.providers.telegram;

import static dev.esprouter.providers.telegram.TelegramWebhookVerifier.SECRET_HEADER;
import static dev.esprouter.providers.webhook.TestConfigs.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.webhook.TestConfigs;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TelegramWebhookVerifierTest {

  private final Buffer body = Buffer.buffer("{\"update_id\":1}");

  private static TelegramWebhookVerifier verifier(ProvidersMode mode, Map<String, String> env) {
    return TelegramWebhookVerifier.from(TestConfigs.settings(ProviderName.TELEGRAM, mode, env), mode);
  }

  private boolean accepts(TelegramWebhookVerifier v, String... headers) {
    return v.verify(request(body, Instant.now(), headers)).accepted();
  }

  @Test
  @DisplayName("The secret token header must equal TELEGRAM_WEBHOOK_SECRET or its _NEXT; anything else is refused")
  void secretToken() {
    TelegramWebhookVerifier v = verifier(ProvidersMode.LIVE, Map.of("TELEGRAM_WEBHOOK_SECRET", "tok_A",
        "TELEGRAM_WEBHOOK_SECRET_NEXT", "tok_B"));
    assertThat(accepts(v, SECRET_HEADER, "tok_A")).isTrue();
    assertThat(accepts(v, SECRET_HEADER, "tok_B")).isTrue();
    assertThat(accepts(v, SECRET_HEADER, "tok_C")).isFalse();
    assertThat(accepts(v, SECRET_HEADER, "tok_A ")).isFalse();
    assertThat(accepts(v)).isFalse();
  }

  @Test
  @DisplayName("Live mode without a secret refuses all; sandbox mode trusts the sandbox secret")
  void failClosedAndSandbox() {
    assertThat(accepts(verifier(ProvidersMode.LIVE, Map.of()), SECRET_HEADER, SandboxSecrets.TELEGRAM_WEBHOOK_SECRET))
        .isFalse();
    assertThat(accepts(verifier(ProvidersMode.SANDBOX, Map.of()), SECRET_HEADER,
        SandboxSecrets.TELEGRAM_WEBHOOK_SECRET)).isTrue();
  }
}
