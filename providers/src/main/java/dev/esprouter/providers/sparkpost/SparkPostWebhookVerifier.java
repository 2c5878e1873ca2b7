package dev.esprouter.providers.sparkpost;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.webhook.BasicAuthWebhookVerifier;
import dev.esprouter.providers.webhook.WebhookVerifier;

/**
 * SparkPost signs nothing (PROVIDERS.md § 4.5): a webhook created with {@code auth_type: basic}
 * sends its {@code auth_credentials} as HTTP basic auth, checked against
 * {@code SPARKPOST_WEBHOOK_USER}/{@code SPARKPOST_WEBHOOK_PASSWORD}. (OAuth2 and the deprecated
 * {@code X-MessageSystems-Webhook-Token} are not supported: configure basic auth.)
 */
public final class SparkPostWebhookVerifier {

  private SparkPostWebhookVerifier() {
  }

  public static WebhookVerifier from(ProviderSettings settings, ProvidersMode mode) {
    return new BasicAuthWebhookVerifier(ProviderName.SPARKPOST, BasicAuthWebhookVerifier.credentials(settings, mode,
        "SPARKPOST_WEBHOOK", SandboxSecrets.SPARKPOST_WEBHOOK_USER, SandboxSecrets.SPARKPOST_WEBHOOK_PASSWORD));
  }
}
