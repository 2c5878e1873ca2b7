package dev.esprouter.sandbox.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** SHA256withECDSA signatures in base64 DER, the way SendGrid signs its Event Webhook. */
public final class EcdsaSigner {

  private final PrivateKey key;

  /** @param pkcs8Base64 a P-256 private key, PKCS#8 DER in base64 */
  public EcdsaSigner(String pkcs8Base64) {
    try {
      key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
          .decode(pkcs8Base64)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the sandbox's SendGrid signing key does not load", e);
    }
  }

  /** The base64 signature of {@code timestamp} followed by {@code payload}. */
  public String sign(String timestamp, byte[] payload) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(timestamp.getBytes(StandardCharsets.UTF_8));
      s.update(payload);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA signing failed", e);
    }
  }
}
