package dev.esprouter.providers.meta;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.webhook.Verdict;
import dev.esprouter.providers.webhook.WebhookRequest;
import dev.esprouter.providers.webhook.WebhookSecrets;
import dev.esprouter.providers.webhook.WebhookVerifier;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WhatsApp Cloud API webhooks (PROVIDERS.md § 5.5). Every POST carries
 * {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>}; the subscription
 * handshake is a GET with {@code hub.mode=subscribe}, {@code hub.verify_token} and
 * {@code hub.challenge}, answered with the challenge when the token matches. App secrets and verify
 * tokens are each accepted in two values during a rotation ({@code META_APP_SECRET},
 * {@code META_VERIFY_TOKEN} and their {@code _NEXT}).
 */
public final class MetaWebhookVerifier implements WebhookVerifier {

  public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
  private static final String PREFIX = "sha256=";

  private final List<byte[]> appSecrets;
  private final List<byte[]> verifyTokens;

  public MetaWebhookVerifier(List<String> appSecrets, List<String> verifyTokens) {
    this.appSecrets = WebhookSecrets.bytes(appSecrets);
    this.verifyTokens = WebhookSecrets.bytes(verifyTokens);
  }

  public static MetaWebhookVerifier from(ProviderSettings settings, ProvidersMode mode) {
    return new MetaWebhookVerifier(
        WebhookSecrets.accepted(settings, mode, "META_APP_SECRET", SandboxSecrets.META_APP_SECRET),
        WebhookSecrets.accepted(settings, mode, "META_VERIFY_TOKEN", SandboxSecrets.META_VERIFY_TOKEN));
  }

  @Override
  public ProviderName provider() {
    return ProviderName.META;
  }

  @Override
  public Verdict verify(WebhookRequest request) {
    if (appSecrets.isEmpty()) {
      return Verdict.reject("no Meta app secret configured");
    }
    String header = request.header(SIGNATURE_HEADER);
    if (header == null || !header.startsWith(PREFIX)) {
      return Verdict.reject("missing " + SIGNATURE_HEADER);
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(PREFIX.length()).trim());
    } catch (IllegalArgumentException e) {
      return Verdict.reject("signature is not hex");
    }
    byte[] body = request.body().getBytes();
    boolean match = false;
    for (byte[] secret : appSecrets) {
      match |= MessageDigest.isEqual(given, hmac(secret, body));
    }
    return match ? Verdict.accept() : Verdict.reject("signature does not verify");
  }

  /** The challenge to echo when the subscription GET is genuine, else empty (answer 403). */
  public Optional<String> challenge(MultiMap query) {
    String mode = query.get("hub.mode");
    String token = query.get("hub.verify_token");
    String challenge = query.get("hub.challenge");
    if (!"subscribe".equals(mode) || token == null || challenge == null) {
      return Optional.empty();
    }
    return WebhookSecrets.matchesAny(token.getBytes(StandardCharsets.UTF_8), verifyTokens)
        ? Optional.of(challenge) : Optional.empty();
  }

  /** The {@code X-Hub-Signature-256} value Meta sends for this body (sandbox, tests, benchmarks). */
  public static String signature(String appSecret, byte[] body) {
    return PREFIX + HexFormat.of().formatHex(hmac(appSecret.getBytes(StandardCharsets.UTF_8), body));
  }

  static byte[] hmac(byte[] secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
