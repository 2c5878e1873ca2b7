package dev.esprouter.sandbox.core;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * How one provider behaves right now: answer latency (log-normal through p50 and p99), an error
 * rate with its status, throttling above a request rate with the provider's retry signal, hang,
 * down, the odds of each outcome (and where they differ by recipient domain, {@link DomainOdds}),
 * whether its webhooks are sent and how long after the send.
 * Immutable: a change through {@code PUT /sandbox/providers/{name}} swaps in a new one at once.
 */
public record Profile(int latencyP50Ms, int latencyP99Ms, double errorRate, int errorStatus,
                      double throttleAfterPerSec, int retryAfterS, boolean hang, boolean down, OutcomeOdds outcomes,
                      DomainOdds outcomesByDomain, boolean webhooks, int webhookDelayMs) {

  private static final Set<String> KEYS = Set.of("latency_ms", "error_rate", "error_status", "throttle_after_per_sec",
      "retry_after_s", "hang", "down", "outcomes", "outcomes_by_domain", "webhooks", "webhook_delay_ms");

  /** A profile whose outcomes do not depend on the recipient's domain. */
  public Profile(int latencyP50Ms, int latencyP99Ms, double errorRate, int errorStatus, double throttleAfterPerSec,
                 int retryAfterS, boolean hang, boolean down, OutcomeOdds outcomes, boolean webhooks,
                 int webhookDelayMs) {
    this(latencyP50Ms, latencyP99Ms, errorRate, errorStatus, throttleAfterPerSec, retryAfterS, hang, down, outcomes,
        DomainOdds.NONE, webhooks, webhookDelayMs);
  }

  public Profile {
    if (outcomes == null || outcomesByDomain == null) {
      throw new IllegalArgumentException("outcomes and outcomesByDomain are required");
    }
    if (latencyP50Ms < 0 || latencyP50Ms > 600_000) {
      throw new ProfileException("latency_ms.p50", "must be between 0 and 600000");
    }
    if (latencyP99Ms < latencyP50Ms || latencyP99Ms > 600_000) {
      throw new ProfileException("latency_ms.p99", "must be between latency_ms.p50 and 600000");
    }
    if (!(errorRate >= 0 && errorRate <= 1)) {
      throw new ProfileException("error_rate", "must be a number between 0 and 1");
    }
    if (errorStatus < 400 || errorStatus > 599) {
      throw new ProfileException("error_status", "must be an HTTP error status (400-599)");
    }
    if (!(throttleAfterPerSec >= 0)) {
      throw new ProfileException("throttle_after_per_sec", "must be 0 (off) or a positive rate");
    }
    if (retryAfterS < 0 || retryAfterS > 86_400) {
      throw new ProfileException("retry_after_s", "must be between 0 and 86400");
    }
    if (webhookDelayMs < 0 || webhookDelayMs > 3_600_000) {
      throw new ProfileException("webhook_delay_ms", "must be between 0 and 3600000");
    }
  }

  /** This profile with the fields of {@code patch} replaced; the whole patch is refused on any bad field. */
  public Profile with(JsonObject patch) {
    for (String k : patch.fieldNames()) {
      if (!KEYS.contains(k)) {
        throw new ProfileException(k, "is not a profile setting (use " + String.join(", ", KEYS) + ")");
      }
    }
    int p50 = latencyP50Ms;
    int p99 = latencyP99Ms;
    if (patch.containsKey("latency_ms")) {
      JsonObject l = object(patch, "latency_ms");
      for (String k : l.fieldNames()) {
        if (!k.equals("p50") && !k.equals("p99")) {
          throw new ProfileException("latency_ms." + k, "is not known (use p50 and p99)");
        }
      }
      p50 = integer(l, "latency_ms.p50", "p50", p50);
      // A new p50 alone keeps p99 at least as large, so that setting one value never fails.
      p99 = integer(l, "latency_ms.p99", "p99", l.containsKey("p99") ? p99 : Math.max(p50, p99));
    }
    OutcomeOdds odds = patch.containsKey("outcomes") ? outcomes.with(object(patch, "outcomes")) : outcomes;
    // Per-domain odds change fields of outcomes, so a new base re-resolves them (and may refuse them).
    DomainOdds byDomain = patch.containsKey("outcomes_by_domain")
        ? DomainOdds.parse(object(patch, "outcomes_by_domain"), odds)
        : odds.equals(outcomes) ? outcomesByDomain : outcomesByDomain.over(odds);
    return new Profile(p50, p99,
        decimal(patch, "error_rate", errorRate),
        integer(patch, "error_status", "error_status", errorStatus),
        decimal(patch, "throttle_after_per_sec", throttleAfterPerSec),
        integer(patch, "retry_after_s", "retry_after_s", retryAfterS),
        bool(patch, "hang", hang),
        bool(patch, "down", down),
        odds,
        byDomain,
        bool(patch, "webhooks", webhooks),
        integer(patch, "webhook_delay_ms", "webhook_delay_ms", webhookDelayMs));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("latency_ms", new JsonObject().put("p50", latencyP50Ms).put("p99", latencyP99Ms))
        .put("error_rate", errorRate)
        .put("error_status", errorStatus)
        .put("throttle_after_per_sec", throttleAfterPerSec)
        .put("retry_after_s", retryAfterS)
        .put("hang", hang)
        .put("down", down)
        .put("outcomes", outcomes.toJson())
        .put("outcomes_by_domain", outcomesByDomain.toJson())
        .put("webhooks", webhooks)
        .put("webhook_delay_ms", webhookDelayMs);
  }

  /**
   * A latency drawn from the log-normal distribution whose median is p50 and whose 99th percentile
   * is p99, for a standard normal {@code z}.
   */
  public long latencyMs(double z) {
    if (latencyP50Ms == 0) {
      return 0;
    }
    if (latencyP99Ms == latencyP50Ms) {
      return latencyP50Ms;
    }
    double sigma = Math.log((double) latencyP99Ms / latencyP50Ms) / 2.3263478740408408;
    return Math.min(600_000, Math.round(latencyP50Ms * Math.exp(sigma * z)));
  }

  private static JsonObject object(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (!(v instanceof JsonObject j)) {
      throw new ProfileException(key, "must be an object");
    }
    return j;
  }

  private static int integer(JsonObject o, String field, String key, int fallback) {
    if (!o.containsKey(key)) {
      return fallback;
    }
    Object v = o.getValue(key);
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
      throw new ProfileException(field, "must be a whole number");
    }
    return n.intValue();
  }

  private static double decimal(JsonObject o, String key, double fallback) {
    if (!o.containsKey(key)) {
      return fallback;
    }
    Object v = o.getValue(key);
    if (!(v instanceof Number n)) {
      throw new ProfileException(key, "must be a number");
    }
    return n.doubleValue();
  }

  private static boolean bool(JsonObject o, String key, boolean fallback) {
    if (!o.containsKey(key)) {
      return fallback;
    }
    Object v = o.getValue(key);
    if (!(v instanceof Boolean b)) {
      throw new ProfileException(key, "must be true or false");
    }
    return b;
  }
}
