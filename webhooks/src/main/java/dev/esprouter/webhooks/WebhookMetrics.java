package dev.esprouter.webhooks;

import dev.esprouter.common.ProviderName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code esp_webhook_requests_total{provider, result}}: every webhook request by provider and what
 * became of it; {@code esp_webhook_waiting_bytes}: bodies waiting for Kafka right now. Both labels
 * are closed sets (six providers, five results), so the series count is bounded; all counters are
 * registered up front so a dashboard shows zeros, not gaps.
 */
final class WebhookMetrics {

  /** What became of one webhook request. */
  enum Result {
    /** Verified and durably in Kafka (200). */
    ACCEPTED,
    /** Signature, token or credentials missing or wrong, or none configured (401 / 403). */
    FORGED,
    /** Verified but not in the provider's format (400). */
    MALFORMED,
    /** Over the body limit (413). */
    TOO_LARGE,
    /** Kafka did not acknowledge, or too much is already waiting for it (503). */
    UNAVAILABLE;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String REQUESTS = "esp_webhook_requests";
  static final String WAITING_BYTES = "esp_webhook_waiting_bytes";

  private final Map<ProviderName, Map<Result, Counter>> counters = new EnumMap<>(ProviderName.class);

  WebhookMetrics(MeterRegistry registry, LongSupplier waitingBytes) {
    Gauge.builder(WAITING_BYTES, waitingBytes, s -> s.getAsLong())
        .description("Bytes of verified webhook bodies waiting for Kafka's acknowledgement")
        .baseUnit("bytes")
        .strongReference(true) // the supplier is a method reference nothing else holds
        .register(registry);
    for (ProviderName p : ProviderName.values()) {
      Map<Result, Counter> byResult = new EnumMap<>(Result.class);
      for (Result r : Result.values()) {
        byResult.put(r, Counter.builder(REQUESTS)
            .description("Provider webhook requests by provider and result")
            .tag("provider", p.wire())
            .tag("result", r.wire())
            .register(registry));
      }
      counters.put(p, byResult);
    }
  }

  void count(ProviderName provider, Result result) {
    counters.get(provider).get(result).increment();
  }
}
