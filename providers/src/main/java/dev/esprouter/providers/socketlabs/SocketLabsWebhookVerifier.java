package dev.esprouter.providers.socketlabs;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.webhook.Verdict;
import dev.esprouter.providers.webhook.WebhookJson;
import dev.esprouter.providers.webhook.WebhookRequest;
import dev.esprouter.providers.webhook.WebhookSecrets;
import dev.esprouter.providers.webhook.WebhookVerifier;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * SocketLabs (PROVIDERS.md § 3.5) puts the endpoint's {@code SecretKey} inside every notification,
 * so this is the one verifier that must read the body: it reads it with
 * {@link SocketLabsWebhookPayload} and compares {@code SecretKey} with {@code SOCKETLABS_WEBHOOK_SECRET}
 * (and {@code _NEXT}), plus {@code ServerId} with {@code SOCKETLABS_SERVER_ID} when that is set.
 *
 * <p>Handshake: SocketLabs validates an endpoint with a {@code Type=Validation} notification that
 * must be answered with the endpoint's Validation Key as the body, and its own examples answer every
 * accepted notification that way; so does this verifier ({@code SOCKETLABS_WEBHOOK_VALIDATION_KEY},
 * in sandbox mode the well-known sandbox key when none is set).
 */
public final class SocketLabsWebhookVerifier implements WebhookVerifier {

  private final List<byte[]> secrets;
  private final String serverId;
  private final String validationKey;

  public SocketLabsWebhookVerifier(List<String> secrets, String serverId, String validationKey) {
    this.secrets = WebhookSecrets.bytes(secrets);
    this.serverId = serverId;
    this.validationKey = validationKey;
  }

  public static SocketLabsWebhookVerifier from(ProviderSettings settings, ProvidersMode mode) {
    String validation = settings.webhookSecret("SOCKETLABS_WEBHOOK_VALIDATION_KEY")
        .orElse(mode == ProvidersMode.SANDBOX ? SandboxSecrets.SOCKETLABS_WEBHOOK_VALIDATION_KEY : null);
    return new SocketLabsWebhookVerifier(
        WebhookSecrets.accepted(settings, mode, "SOCKETLABS_WEBHOOK_SECRET", SandboxSecrets.SOCKETLABS_WEBHOOK_SECRET),
        settings.credential("SOCKETLABS_SERVER_ID").orElse(null), validation);
  }

  @Override
  public ProviderName provider() {
    return ProviderName.SOCKETLABS;
  }

  @Override
  public Verdict verify(WebhookRequest request) {
    if (secrets.isEmpty()) {
      return Verdict.reject("no SocketLabs webhook secret configured");
    }
    JsonObject notification = SocketLabsWebhookPayload.read(request.body());
    String secret = WebhookJson.text(notification, "SecretKey");
    if (secret == null) {
      return Verdict.reject("missing SecretKey");
    }
    if (!WebhookSecrets.matchesAny(secret.getBytes(StandardCharsets.UTF_8), secrets)) {
      return Verdict.reject("SecretKey does not match");
    }
    if (serverId != null && !serverId.equals(WebhookJson.text(notification, "ServerId"))) {
      return Verdict.reject("ServerId is not ours");
    }
    return validationKey == null ? Verdict.accept() : Verdict.acceptWithBody(validationKey);
  }
}
