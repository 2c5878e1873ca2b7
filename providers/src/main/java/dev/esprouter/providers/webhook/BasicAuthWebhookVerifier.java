package dev.esprouter.providers.webhook;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * HTTP basic auth on a webhook, for the providers that sign nothing and send the credentials
 * configured on the hook instead (Postmark, SparkPost with {@code auth_type: basic}). Accepts the
 * configured {@code <P>_WEBHOOK_USER}/{@code _PASSWORD} pair and, during a rotation, the pair made
 * of their {@code _NEXT} values (a missing {@code _NEXT} half keeps the current value).
 */
public final class BasicAuthWebhookVerifier implements WebhookVerifier {

  private static final String SCHEME = "Basic ";

  private final ProviderName provider;
  private final List<byte[]> credentials;

  /** @param credentials accepted {@code user:password} strings */
  public BasicAuthWebhookVerifier(ProviderName provider, List<String> credentials) {
    this.provider = provider;
    this.credentials = WebhookSecrets.bytes(credentials);
  }

  /** The accepted {@code user:password} pairs of one provider's configuration. */
  public static List<String> credentials(ProviderSettings settings, ProvidersMode mode, String prefix,
                                         String sandboxUser, String sandboxPassword) {
    List<String> pairs = new ArrayList<>(3);
    String user = settings.webhookSecret(prefix + "_USER").orElse(null);
    String password = settings.webhookSecret(prefix + "_PASSWORD").orElse(null);
    if (user != null && password != null) {
      pairs.add(user + ":" + password);
    }
    String nextUser = settings.webhookSecret(prefix + "_USER_NEXT").orElse(user);
    String nextPassword = settings.webhookSecret(prefix + "_PASSWORD_NEXT").orElse(password);
    if (nextUser != null && nextPassword != null && !pairs.contains(nextUser + ":" + nextPassword)) {
      pairs.add(nextUser + ":" + nextPassword);
    }
    if (mode == ProvidersMode.SANDBOX) {
      pairs.add(sandboxUser + ":" + sandboxPassword);
    }
    return List.copyOf(pairs);
  }

  @Override
  public ProviderName provider() {
    return provider;
  }

  @Override
  public Verdict verify(WebhookRequest request) {
    if (credentials.isEmpty()) {
      return Verdict.reject("no " + provider.wire() + " webhook credentials configured");
    }
    String header = request.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Verdict.reject("missing basic auth");
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(SCHEME.length()).trim());
    } catch (IllegalArgumentException e) {
      return Verdict.reject("basic auth is not base64");
    }
    return WebhookSecrets.matchesAny(given, credentials)
        ? Verdict.accept() : Verdict.reject("basic auth credentials do not match");
  }

  /** The header value a provider sends for {@code user:password} (tests, the sandbox, benchmarks). */
  public static String header(String user, String password) {
    return SCHEME + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
