package dev.esprouter.providers.telegram;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.webhook.Verdict;
import dev.esprouter.providers.webhook.WebhookRequest;
import dev.esprouter.providers.webhook.WebhookSecrets;
import dev.esprouter.providers.webhook.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Telegram (PROVIDERS.md § 6.5): the {@code secret_token} given to {@code setWebhook} comes back in
 * {@code X-Telegram-Bot-Api-Secret-Token} on every update ({@code TELEGRAM_WEBHOOK_SECRET} and
 * {@code _NEXT} during a rotation).
 */
public final class TelegramWebhookVerifier implements WebhookVerifier {

  public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

  private final List<byte[]> secrets;

  public TelegramWebhookVerifier(List<String> secrets) {
    this.secrets = WebhookSecrets.bytes(secrets);
  }

  public static TelegramWebhookVerifier from(ProviderSettings settings, ProvidersMode mode) {
    return new TelegramWebhookVerifier(WebhookSecrets.accepted(settings, mode, "TELEGRAM_WEBHOOK_SECRET",
        SandboxSecrets.TELEGRAM_WEBHOOK_SECRET));
  }

  @Override
  public ProviderName provider() {
    return ProviderName.TELEGRAM;
  }

  @Override
  public Verdict verify(WebhookRequest request) {
    if (secrets.isEmpty()) {
      return Verdict.reject("no Telegram webhook secret configured");
    }
    String token = request.header(SECRET_HEADER);
    if (token == null) {
      return Verdict.reject("missing " + SECRET_HEADER);
    }
    return WebhookSecrets.matchesAny(token.getBytes(StandardCharsets.UTF_8), secrets)
        ? Verdict.accept() : Verdict.reject("secret token does not match");
  }
}
