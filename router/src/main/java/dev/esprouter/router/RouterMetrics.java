package dev.esprouter.router;

import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.providers.send.SendOutcome;
import dev.esprouter.router.provider.ProviderRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The router's Prometheus meters (API.md § Operations): per provider requests by outcome class,
 * recipients by outcome, call latency, limiter wait and rate, breaker state, current weight; per
 * lane consumer lag; retries and dead letters. Labels are bounded (provider, outcome, lane).
 */
public final class RouterMetrics implements dev.esprouter.router.ledger.LedgerMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<ProviderName, Timer> latency = new EnumMap<>(ProviderName.class);
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<ProviderName, Timer> limiterWait = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, AtomicLong> weights = new EnumMap<>(ProviderName.class);
  private final Map<Priority, AtomicLong> lag = new EnumMap<>(Priority.class);
  private final AtomicLong retryLag = new AtomicLong();
  private final AtomicLong dlqDepth = new AtomicLong(-1);
  private final Counter retries;
  private final Counter deadLettered;

  private static final String REQUESTS = "esp_provider_requests_total";
  private static final String RECIPIENTS = "esp_provider_recipients_total";
  private static final String LAG_HELP = "Records of the lane's topic not yet consumed by this process's router";

  public RouterMetrics(MeterRegistry registry) {
    this.registry = registry == null ? new SimpleMeterRegistry() : registry;
    for (ProviderName p : ProviderName.values()) {
      latency.put(p, Timer.builder("esp_provider_request_duration_seconds").tag("provider", p.wire())
          .description("Time of one provider API call, from the request to its answer or timeout")
          .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
          .register(this.registry));
      limiterWait.put(p, Timer.builder("esp_provider_limiter_wait_seconds").tag("provider", p.wire())
          .description("Time a provider call waited for a permit of the provider's rate limiter")
          .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
          .register(this.registry));
      AtomicLong w = new AtomicLong();
      weights.put(p, w);
      Gauge.builder("esp_provider_weight", w, AtomicLong::get).tag("provider", p.wire())
          .description("Points of 1000 the provider got in the last chunk of its channel").register(this.registry);
    }
    for (Priority p : Priority.values()) {
      AtomicLong l = new AtomicLong();
      lag.put(p, l);
      Gauge.builder("esp_router_consumer_lag_records", l, AtomicLong::get).tag("lane", p.wire())
          .description(LAG_HELP).register(this.registry);
      chunkTimer(p);
    }
    Gauge.builder("esp_router_consumer_lag_records", retryLag, AtomicLong::get).tag("lane", "retry")
        .description(LAG_HELP).register(this.registry);
    // Every counter exists from the start with each of its bounded label values, so a dashboard
    // shows a zero instead of "no data" until the first event.
    for (ProviderName p : ProviderName.values()) {
      for (SendOutcome o : SendOutcome.values()) {
        counter(REQUESTS, p.wire(), o.wire());
        counter(RECIPIENTS, p.wire(), o.wire());
      }
    }
    retries = Counter.builder("esp_router_retries_total")
        .description("Recipients sent to send.retry for a later attempt").register(this.registry);
    deadLettered = Counter.builder("esp_dlq_messages_total")
        .description("Recipients dead-lettered (retries exhausted or a permanent error)").register(this.registry);
    Gauge.builder("esp_dlq_depth_messages", dlqDepth, AtomicLong::get)
        .description("Dead letters not requeued, counted every ESP_DLQ_DEPTH_REFRESH_MS by one bounded index-only "
            + "count (at most ESP_DLQ_DEPTH_BOUND); -1 until the first count. Global: take max() over processes")
        .register(this.registry);
    for (ProviderName p : ProviderName.values()) {
      for (String reason : new String[] {"in_flight", "rate_limit"}) {
        capacityCounter(p, reason);
      }
    }
    inDoubt = Counter.builder("esp_router_in_doubt_recipients_total")
        .description("recipients of calls whose owner died before writing the answer, sent again (possible duplicates)")
        .register(this.registry);
    poison = Counter.builder("esp_router_poison_chunks_total")
        .description("chunks dead-lettered after failing for a data error (not an outage)").register(this.registry);
    ledgerFlushes = Timer.builder("esp_router_ledger_flush_duration_seconds")
        .description("one group-committed write of the send ledger").register(this.registry);
    ledgerRequests = Counter.builder("esp_router_ledger_requests_total")
        .description("ledger writes (chunk starts, call intents, call answers, chunk ends) committed").register(this.registry);
    ledgerFailures = Counter.builder("esp_router_ledger_flush_failures_total")
        .description("ledger flushes that failed for an outage and were retried").register(this.registry);
  }

  private Counter inDoubt;
  private Counter poison;
  private Timer ledgerFlushes;
  private Counter ledgerRequests;
  private Counter ledgerFailures;

  private Counter capacityCounter(ProviderName p, String reason) {
    return counters.computeIfAbsent("capacity" + p.wire() + reason, k -> Counter.builder("esp_provider_capacity_refusals_total")
        .description("calls sent elsewhere at once because the provider had no capacity (in-flight cap or no rate-limit token in time)")
        .tag("provider", p.wire()).tag("reason", reason).register(registry));
  }

  /** A call that did not get a slot at {@code p} (its recipients go elsewhere). */
  public void capacityRefused(ProviderName p, String reason) {
    capacityCounter(p, reason).increment();
  }

  public void inDoubt(int n) {
    inDoubt.increment(n);
  }

  public void poison() {
    poison.increment();
  }

  @Override
  public void flush(int requests, long nanos) {
    ledgerFlushes.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    ledgerRequests.increment(requests);
  }

  @Override
  public void flushFailed() {
    ledgerFailures.increment();
  }

  /** Breaker state (0 closed, 1 half-open, 2 open) and limiter rate as gauges read from live objects. */
  public void providerGauges(ProviderName p, ProviderHealth health, ProviderRateLimiter limiter) {
    Gauge.builder("esp_provider_breaker_state", health, h -> switch (h.breaker(p)) {
          case CLOSED -> 0;
          case HALF_OPEN -> 1;
          case OPEN -> 2;
        })
        .tag("provider", p.wire()).description("The provider's circuit breaker: 0 closed, 1 half-open, 2 open")
        .register(registry);
    Gauge.builder("esp_provider_rate_limit_per_second", limiter, ProviderRateLimiter::currentRate)
        .tag("provider", p.wire()).description("Calls per second this process allows the provider now (adaptive, its share)")
        .register(registry);
  }

  public void request(ProviderName p, SendOutcome outcome, long nanos) {
    counter(REQUESTS, p.wire(), outcome.wire()).increment();
    latency.get(p).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void recipients(ProviderName p, SendOutcome outcome, int n) {
    if (n > 0) {
      counter(RECIPIENTS, p.wire(), outcome.wire()).increment(n);
    }
  }

  /** Wall time of one router statement (claim, record, ...) by lane, from submit to result: pool wait included. */
  public void statement(String statement, Priority lane, long nanos) {
    timers.computeIfAbsent(statement + lane.wire(), k -> Timer.builder("esp_router_statement_duration_seconds")
        .tag("statement", statement).tag("lane", lane.wire())
        .description("Wall time of one router statement, from submit to result (pool wait included)").register(registry))
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Wall time of routing one chunk by lane, from dispatch to everything durable. */
  public void chunk(Priority lane, long nanos) {
    chunkTimer(lane).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private Timer chunkTimer(Priority lane) {
    return timers.computeIfAbsent("chunk" + lane.wire(), k -> Timer.builder("esp_router_chunk_duration_seconds")
        .description("Wall time of routing one chunk, from dispatch to everything durable")
        .tag("lane", lane.wire()).register(registry));
  }

  /** How late a periodic timer fired on the router's event loop. */
  public void eventLoopLag(long nanos) {
    timers.computeIfAbsent("lag", k -> Timer.builder("esp_router_event_loop_lag_seconds")
        .description("How late a periodic timer fired on the router's event loop").publishPercentiles(0.5, 0.99).register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void limiterWait(ProviderName p, long nanos) {
    limiterWait.get(p).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void weight(ProviderName p, int points) {
    weights.get(p).set(points);
  }

  public void lag(Priority lane, long records) {
    lag.get(lane).set(records);
  }

  public void retryLag(long records) {
    retryLag.set(records);
  }

  public void retried(int n) {
    retries.increment(n);
  }

  public void deadLettered(int n) {
    deadLettered.increment(n);
  }

  /** The latest count of dead letters not requeued ({@code esp_dlq_depth_messages}). */
  public void dlqDepth(long messages) {
    dlqDepth.set(messages);
  }

  private Counter counter(String name, String provider, String outcome) {
    return counters.computeIfAbsent(name + provider + outcome, k -> Counter.builder(name)
        .description(name.equals(REQUESTS) ? "Provider API calls by provider and outcome class"
            : "Recipients handed to a provider by provider and outcome class")
        .tag("provider", provider).tag("outcome", outcome).register(registry));
  }
}
