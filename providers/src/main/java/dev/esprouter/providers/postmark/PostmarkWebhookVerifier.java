package dev.esprouter.providers.postmark;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.webhook.BasicAuthWebhookVerifier;
import dev.esprouter.providers.webhook.WebhookVerifier;

/**
 * Postmark signs nothing (PROVIDERS.md § 2.5): its webhooks carry the HTTP basic auth credentials
 * configured on the hook ({@code https://user:pass@host/webhooks/postmark} or {@code HttpAuth}),
 * checked against {@code POSTMARK_WEBHOOK_USER}/{@code POSTMARK_WEBHOOK_PASSWORD}.
 */
public final class PostmarkWebhookVerifier {

  private PostmarkWebhookVerifier() {
  }

  public static WebhookVerifier from(ProviderSettings settings, ProvidersMode mode) {
    return new BasicAuthWebhookVerifier(ProviderName.POSTMARK, BasicAuthWebhookVerifier.credentials(settings, mode,
        "POSTMARK_WEBHOOK", SandboxSecrets.POSTMARK_WEBHOOK_USER, SandboxSecrets.POSTMARK_WEBHOOK_PASSWORD));
  }
}
