package dev.esprouter.providers.sendgrid;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ConfigException;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.webhook.Verdict;
import dev.esprouter.providers.webhook.WebhookRequest;
import dev.esprouter.providers.webhook.WebhookSecrets;
import dev.esprouter.providers.webhook.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * SendGrid's Signed Event Webhook (PROVIDERS.md § 1.6): an ECDSA P-256 signature (base64 DER) in
 * {@code X-Twilio-Email-Event-Webhook-Signature} over the bytes of the
 * {@code X-Twilio-Email-Event-Webhook-Timestamp} value followed by the raw body, checked with the
 * public key SendGrid shows (base64 X.509 DER). SendGrid documents no tolerance, so the timestamp
 * must be within {@link #REPLAY_WINDOW} of our clock either way: a captured request cannot be
 * replayed later. Two keys are tried during a rotation ({@code SENDGRID_WEBHOOK_PUBLIC_KEY} and
 * {@code _NEXT}).
 */
public final class SendGridWebhookVerifier implements WebhookVerifier {

  public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
  public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";
  public static final Duration REPLAY_WINDOW = Duration.ofSeconds(300);
  static final String KEY_VARIABLE = "SENDGRID_WEBHOOK_PUBLIC_KEY";

  private final List<PublicKey> keys;

  public SendGridWebhookVerifier(List<PublicKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** @throws ConfigException when a configured key is not a base64 X.509 EC public key */
  public static SendGridWebhookVerifier from(ProviderSettings settings, ProvidersMode mode) {
    List<PublicKey> keys = new ArrayList<>();
    for (String encoded : WebhookSecrets.accepted(settings, mode, KEY_VARIABLE, SandboxSecrets.SENDGRID_PUBLIC_KEY)) {
      keys.add(publicKey(encoded));
    }
    return new SendGridWebhookVerifier(keys);
  }

  static PublicKey publicKey(String base64Der) {
    try {
      PublicKey key = KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64Der.trim())));
      if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new ConfigException(KEY_VARIABLE + ": not a P-256 public key");
      }
      return key;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new ConfigException(KEY_VARIABLE + ": not a base64 X.509 (DER) EC public key as SendGrid shows it");
    }
  }

  @Override
  public ProviderName provider() {
    return ProviderName.SENDGRID;
  }

  @Override
  public Verdict verify(WebhookRequest request) {
    if (keys.isEmpty()) {
      return Verdict.reject("no SendGrid webhook public key configured");
    }
    String signature = request.header(SIGNATURE_HEADER);
    String timestamp = request.header(TIMESTAMP_HEADER);
    if (signature == null || timestamp == null) {
      return Verdict.reject("missing " + (signature == null ? SIGNATURE_HEADER : TIMESTAMP_HEADER));
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Verdict.reject("timestamp is not Unix seconds");
    }
    long age = request.receivedAt().getEpochSecond() - seconds;
    if (Math.abs(age) > REPLAY_WINDOW.toSeconds()) {
      return Verdict.reject("timestamp outside the " + REPLAY_WINDOW.toSeconds() + " s replay window");
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(signature.trim());
    } catch (IllegalArgumentException e) {
      return Verdict.reject("signature is not base64");
    }
    byte[] prefix = timestamp.getBytes(StandardCharsets.UTF_8);
    byte[] body = request.body().getBytes();
    for (PublicKey key : keys) {
      if (verifies(key, prefix, body, der)) {
        return Verdict.accept();
      }
    }
    return Verdict.reject("signature does not verify");
  }

  private static boolean verifies(PublicKey key, byte[] prefix, byte[] body, byte[] der) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(key);
      s.update(prefix);
      s.update(body);
      return s.verify(der);
    } catch (GeneralSecurityException e) {
      // A signature that is not valid DER throws instead of returning false: it is simply not valid.
      return false;
    }
  }
}
