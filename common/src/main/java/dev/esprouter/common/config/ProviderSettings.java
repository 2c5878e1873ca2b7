package dev.esprouter.common.config;

import dev.esprouter.common.ProviderName;
import java.util.Map;
import java.util.Optional;

/**
 * One provider's settings: credentials (a provider is enabled when they are set, or always in
 * sandbox mode), base URL, rate limit in calls per second with its burst, and webhook secrets.
 * Every value can be overridden with {@code <PROVIDER>_BASE_URL}, {@code _RATE_PER_SEC},
 * {@code _BURST}. Secrets are held here but never printed: {@link #toString()} omits them.
 */
public record ProviderSettings(ProviderName name, boolean enabled, Map<String, String> credentials, String baseUrl,
                               double ratePerSec, int burst, Map<String, String> webhookSecrets) {

  /** The variables holding this provider's API credentials (all must be set to enable it). */
  public static String[] credentialVariables(ProviderName p) {
    return switch (p) {
      case SENDGRID -> new String[] {"SENDGRID_API_KEY"};
      case POSTMARK -> new String[] {"POSTMARK_SERVER_TOKEN"};
      case SOCKETLABS -> new String[] {"SOCKETLABS_SERVER_ID", "SOCKETLABS_API_KEY"};
      case SPARKPOST -> new String[] {"SPARKPOST_API_KEY"};
      case META -> new String[] {"META_ACCESS_TOKEN", "META_PHONE_NUMBER_ID"};
      case TELEGRAM -> new String[] {"TELEGRAM_BOT_TOKEN"};
    };
  }

  /**
   * The variables holding this provider's webhook secrets. A {@code _NEXT} twin of each (for
   * example {@code META_APP_SECRET_NEXT}) is also read, so two secrets are accepted during rotation.
   */
  public static String[] webhookSecretVariables(ProviderName p) {
    return switch (p) {
      case SENDGRID -> new String[] {"SENDGRID_WEBHOOK_PUBLIC_KEY"};
      case POSTMARK -> new String[] {"POSTMARK_WEBHOOK_USER", "POSTMARK_WEBHOOK_PASSWORD"};
      case SOCKETLABS -> new String[] {"SOCKETLABS_WEBHOOK_SECRET", "SOCKETLABS_WEBHOOK_VALIDATION_KEY"};
      case SPARKPOST -> new String[] {"SPARKPOST_WEBHOOK_USER", "SPARKPOST_WEBHOOK_PASSWORD"};
      case META -> new String[] {"META_APP_SECRET", "META_VERIFY_TOKEN"};
      case TELEGRAM -> new String[] {"TELEGRAM_WEBHOOK_SECRET"};
    };
  }

  /** The real provider's API address, used in live mode unless overridden. */
  public static String liveBaseUrl(ProviderName p) {
    return switch (p) {
      case SENDGRID -> "https://api.sendgrid.com";
      case POSTMARK -> "https://api.postmarkapp.com";
      case SOCKETLABS -> "https://inject.socketlabs.com";
      case SPARKPOST -> "https://api.sparkpost.com";
      case META -> "https://graph.facebook.com";
      case TELEGRAM -> "https://api.telegram.org";
    };
  }

  /**
   * Default calls per second (PROVIDERS.md § x.3). Where the provider publishes no number the
   * default is a conservative guess that 429s correct at run time (AIMD in the router).
   */
  public static double defaultRatePerSec(ProviderName p) {
    return switch (p) {
      case SENDGRID -> 100; // up to 1000 recipients a call; no published mail/send limit
      case POSTMARK -> 50; // up to 500 messages a batch call; no published number
      case SOCKETLABS -> 50; // no published number; quota surfaces as OverQuota
      case SPARKPOST -> 50; // transmissions POST is not rate limited; sending quotas answer 420
      case META -> 80; // messages/s per business phone number
      case TELEGRAM -> 30; // messages/s overall for bulk notifications
    };
  }

  public static ProviderSettings from(ConfigReader c, ProviderName p, ProvidersMode mode, String sandboxBaseUrl) {
    String prefix = p.envPrefix();
    Map<String, String> creds = new java.util.HashMap<>();
    boolean complete = true;
    for (String v : credentialVariables(p)) {
      Optional<String> s = c.secret(v);
      if (s.isPresent()) {
        creds.put(v, s.get());
      } else {
        complete = false;
      }
    }
    Map<String, String> secrets = new java.util.HashMap<>();
    for (String v : webhookSecretVariables(p)) {
      c.secret(v).ifPresent(s -> secrets.put(v, s));
      c.secret(v + "_NEXT").ifPresent(s -> secrets.put(v + "_NEXT", s));
    }
    boolean enabled = mode == ProvidersMode.SANDBOX || complete;
    if (c.isSet(prefix + "_ENABLED")) {
      enabled = enabled && c.bool(prefix + "_ENABLED", true);
    }
    String defaultBase = mode == ProvidersMode.SANDBOX ? sandboxBaseUrl + "/" + p.wire() : liveBaseUrl(p);
    double rate = c.decimal(prefix + "_RATE_PER_SEC", defaultRatePerSec(p), 0.01, 1_000_000);
    int burst = c.integer(prefix + "_BURST", (int) Math.max(1, Math.ceil(rate)), 1, 1_000_000);
    return new ProviderSettings(p, enabled, Map.copyOf(creds), c.url(prefix + "_BASE_URL", defaultBase), rate, burst,
        Map.copyOf(secrets));
  }

  public Optional<String> credential(String variable) {
    return Optional.ofNullable(credentials.get(variable));
  }

  public Optional<String> webhookSecret(String variable) {
    return Optional.ofNullable(webhookSecrets.get(variable));
  }

  @Override
  public String toString() {
    return name.wire() + "{enabled=" + enabled + ", baseUrl=" + baseUrl + ", ratePerSec=" + ratePerSec + ", burst="
        + burst + ", credentials=" + credentials.keySet() + ", webhookSecrets=" + webhookSecrets.keySet() + "}";
  }
}
