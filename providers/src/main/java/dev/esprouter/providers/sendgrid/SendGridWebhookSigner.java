package dev.esprouter.providers.sendgrid;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Signs a body the way SendGrid's Signed Event Webhook does (ECDSA P-256 over timestamp + body,
 * base64 DER): the counterpart of {@link SendGridWebhookVerifier} for the sandbox, tests and
 * benchmarks. Thread-safe.
 */
public final class SendGridWebhookSigner {

  private final PrivateKey key;

  public SendGridWebhookSigner(PrivateKey key) {
    this.key = key;
  }

  /** @param base64Pkcs8 a PKCS#8 DER EC private key in base64, e.g. {@code SandboxSecrets.SENDGRID_PRIVATE_KEY} */
  public static SendGridWebhookSigner fromBase64(String base64Pkcs8) {
    try {
      return new SendGridWebhookSigner(KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64Pkcs8))));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a base64 PKCS#8 EC private key", e);
    }
  }

  /** The {@code X-Twilio-Email-Event-Webhook-Signature} value for this timestamp and body. */
  public String sign(String timestamp, Buffer body) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(timestamp.getBytes(StandardCharsets.UTF_8));
      s.update(body.getBytes());
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA256withECDSA is part of every Java runtime", e);
    }
  }
}
