package dev.esprouter.providers.webhook;

import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The values a verifier accepts for one secret: the configured one, its {@code _NEXT} twin during a
 * rotation, and in sandbox mode the well-known {@link dev.esprouter.common.config.SandboxSecrets}
 * value the local sandbox signs with (never in live mode). An empty list means "not configured":
 * the verifier then refuses every request.
 */
public final class WebhookSecrets {

  private WebhookSecrets() {
  }

  public static List<String> accepted(ProviderSettings settings, ProvidersMode mode, String variable,
                                      String sandboxValue) {
    List<String> values = new ArrayList<>(3);
    settings.webhookSecret(variable).ifPresent(values::add);
    settings.webhookSecret(variable + "_NEXT").ifPresent(values::add);
    if (mode == ProvidersMode.SANDBOX && !values.contains(sandboxValue)) {
      values.add(sandboxValue);
    }
    return List.copyOf(values);
  }

  public static List<byte[]> bytes(List<String> values) {
    return values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /**
   * True when {@code given} equals one of {@code expected}, comparing every candidate in constant
   * time (no early exit on the first differing byte, and no early exit on the first match either).
   */
  public static boolean matchesAny(byte[] given, List<byte[]> expected) {
    if (given == null) {
      return false;
    }
    boolean match = false;
    for (byte[] e : expected) {
      match |= MessageDigest.isEqual(given, e);
    }
    return match;
  }
}
