package dev.esprouter.analytics.events;

import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The analytics consumer's meters, created once (labels are bounded: six providers, nine event types).
 * {@code esp_analytics_events_total{provider,type}} counts provider events recorded for the first time;
 * duplicates, events of unknown messages, late matches and unparseable records have their own counters;
 * {@code esp_analytics_consumer_lag_records} is how far the consumer is behind the webhook topics.
 */
public final class AnalyticsMetrics {

  private final Map<ProviderName, Map<EventType, Counter>> events = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, Counter> duplicates = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, Counter> unmatched = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, Counter> lateMatched = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, Counter> unparseable = new EnumMap<>(ProviderName.class);
  private final Counter suppressions;
  private final Counter unreadableFacts;
  private final AtomicLong lag = new AtomicLong();
  private final MeterRegistry registry;

  public AnalyticsMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (ProviderName p : ProviderName.values()) {
      Map<EventType, Counter> byType = new EnumMap<>(EventType.class);
      for (EventType t : EventType.values()) {
        byType.put(t, Counter.builder("esp_analytics_events_total").description("Provider events recorded (deduplicated)")
            .tag("provider", p.wire()).tag("type", t.wire()).register(registry));
      }
      events.put(p, byType);
      duplicates.put(p, counter(registry, "esp_analytics_duplicate_events_total",
          "Provider events delivered again; they changed nothing", p));
      unmatched.put(p, counter(registry, "esp_analytics_unmatched_events_total",
          "Provider events whose message was not found; kept aside in unmatched_events", p));
      lateMatched.put(p, counter(registry, "esp_analytics_late_matched_events_total",
          "Kept-aside events that found their message on a re-check", p));
      unparseable.put(p, counter(registry, "esp_analytics_unparseable_records_total",
          "Webhook records the provider's parser rejected (logged with their offset)", p));
    }
    unreadableFacts = Counter.builder("esp_analytics_unreadable_facts_total")
        .description("Records of send.outcomes that are not router facts (logged with their offset, skipped)")
        .register(registry);
    suppressions = Counter.builder("esp_analytics_suppressions_total")
        .description("Addresses suppressed after a hard bounce, complaint or blocked bot").register(registry);
    Gauge.builder("esp_analytics_consumer_lag_records", lag, AtomicLong::get)
        .description("Webhook records not yet processed by this process's analytics consumer").register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String description, ProviderName p) {
    return Counter.builder(name).description(description).tag("provider", p.wire()).register(registry);
  }

  MeterRegistry registry() {
    return registry;
  }

  void recorded(WriteResult r) {
    r.recorded().forEach(e -> events.get(e.event().provider()).get(e.event().type()).increment());
    r.unmatched().forEach(e -> {
      events.get(e.event().provider()).get(e.event().type()).increment();
      unmatched.get(e.event().provider()).increment();
    });
    suppressions.increment(r.suppressions());
  }

  void duplicates(ProviderName p, long n) {
    duplicates.get(p).increment(n);
  }

  void lateMatched(IncomingEvent e) {
    lateMatched.get(e.event().provider()).increment();
  }

  void unparseable(ProviderName p) {
    unparseable.get(p).increment();
  }

  void unreadableFacts() {
    unreadableFacts.increment();
  }

  void lag(long records) {
    lag.set(records);
  }
}
