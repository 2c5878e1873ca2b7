package dev.esprouter.sandbox;

import dev.esprouter.sandbox.core.WebhookAuth;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Webhook verification with plain JDK crypto, the way a receiver checks the providers' schemes. */
final class SignatureChecks {

  private SignatureChecks() {
  }

  /** SendGrid: ECDSA P-256 SHA-256 over timestamp + raw body, public key in base64 X.509 DER. */
  static boolean sendGridVerifies(String publicKeyBase64, String timestamp, byte[] body, String signatureBase64)
      throws Exception {
    PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
        .decode(publicKeyBase64)));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initVerify(key);
    s.update((timestamp).getBytes(StandardCharsets.UTF_8));
    s.update(body);
    return s.verify(Base64.getDecoder().decode(signatureBase64));
  }

  /** Meta: X-Hub-Signature-256 is "sha256=" + hex HMAC-SHA256 of the raw body with the app secret. */
  static String metaSignature(String appSecret, byte[] body) {
    return "sha256=" + WebhookAuth.hmacSha256Hex(appSecret, body);
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
