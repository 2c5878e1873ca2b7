package dev.esprouter.providers.webhook;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.providers.meta.MetaWebhookVerifier;
import dev.esprouter.providers.postmark.PostmarkWebhookVerifier;
import dev.esprouter.providers.sendgrid.SendGridWebhookVerifier;
import dev.esprouter.providers.socketlabs.SocketLabsWebhookVerifier;
import dev.esprouter.providers.sparkpost.SparkPostWebhookVerifier;
import dev.esprouter.providers.telegram.TelegramWebhookVerifier;
import java.util.EnumMap;
import java.util.Map;

/**
 * The webhook verifier of every provider, built from the configuration once at start-up (a bad
 * SendGrid public key stops start-up with a {@link dev.esprouter.common.config.ConfigException}).
 */
public final class WebhookVerifiers {

  private final Map<ProviderName, WebhookVerifier> verifiers;

  private WebhookVerifiers(Map<ProviderName, WebhookVerifier> verifiers) {
    this.verifiers = verifiers;
  }

  public static WebhookVerifiers from(EspConfig config) {
    ProvidersMode mode = config.providersMode();
    Map<ProviderName, WebhookVerifier> m = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.values()) {
      m.put(p, create(p, config.provider(p), mode));
    }
    return new WebhookVerifiers(m);
  }

  private static WebhookVerifier create(ProviderName p, ProviderSettings s, ProvidersMode mode) {
    return switch (p) {
      case SENDGRID -> SendGridWebhookVerifier.from(s, mode);
      case POSTMARK -> PostmarkWebhookVerifier.from(s, mode);
      case SOCKETLABS -> SocketLabsWebhookVerifier.from(s, mode);
      case SPARKPOST -> SparkPostWebhookVerifier.from(s, mode);
      case META -> MetaWebhookVerifier.from(s, mode);
      case TELEGRAM -> TelegramWebhookVerifier.from(s, mode);
    };
  }

  public WebhookVerifier forProvider(ProviderName provider) {
    return verifiers.get(provider);
  }

  public MetaWebhookVerifier meta() {
    return (MetaWebhookVerifier) verifiers.get(ProviderName.META);
  }
}
