package dev.esprouter.sandbox.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The credentials a provider accepts (API.md § Sandbox): when the provider's credential variables
 * are configured (for example {@code SENDGRID_API_KEY}), only those values; otherwise any non-empty
 * value of the provider's form.
 */
public final class Credentials {

  private final Map<String, String> configured;

  public Credentials(Map<String, String> configured) {
    this.configured = Map.copyOf(configured);
  }

  public static Credentials any() {
    return new Credentials(Map.of());
  }

  /** Whether {@code given} is acceptable for the credential held in {@code variable}. */
  public boolean accepts(String variable, String given) {
    if (given == null || given.isBlank()) {
      return false;
    }
    String expected = configured.get(variable);
    return expected == null || MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }

  /** The bearer token of an {@code Authorization: Bearer <token>} header, or null. */
  public static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = header.substring(7).trim();
    return t.isEmpty() ? null : t;
  }
}
