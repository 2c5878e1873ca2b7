package dev.esprouter.ingress;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Priority;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The send API's own meters (Prometheus adds {@code _total} to the counters): requests by route template and status, latency per route (with a
 * histogram), recipients accepted by channel and priority, recipients refused by code. Route labels
 * are the templates ({@code /v1/messages/:id}), never raw paths, so cardinality stays bounded.
 */
final class IngressMetrics {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  /** Codes a recipient is refused with (validation and suppression); a code not listed here still counts under its own name. */
  static final List<String> REJECTION_CODES = List.of("invalid_recipient", "invalid_field", "missing_field",
      "unknown_field", "invalid_json", "invalid_header", "suppressed", "unknown_template", "template_not_approved",
      "template_parameters");

  private static final Map<String, String> HELP = Map.of(
      "esp_ingress_requests", "Send API requests by method, route template and status",
      "esp_ingress_messages_accepted", "Recipients accepted (durably in Kafka) by channel and priority",
      "esp_ingress_recipients_rejected", "Recipients refused by error code (nothing of them was queued)",
      "esp_ingress_kafka_failures", "Sends Kafka did not acknowledge (answered 503), single messages or batches");

  IngressMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Every counter with bounded labels exists from the start, so a panel shows 0, not "no data".
    for (Channel c : Channel.values()) {
      for (Priority p : Priority.values()) {
        counter("esp_ingress_messages_accepted", "channel", c.wire(), "priority", p.wire());
      }
    }
    REJECTION_CODES.forEach(code -> counter("esp_ingress_recipients_rejected", "code", code));
    List.of("message", "batch").forEach(kind -> counter("esp_ingress_kafka_failures", "kind", kind));
  }

  /**
   * A first handler for a route: times the request and counts its status when the response ends. It
   * is a platform handler so it may run before the body handler and also count 413s.
   */
  PlatformHandler timed(String method, String route) {
    Timer timer = timers.computeIfAbsent(method + " " + route, k -> Timer.builder("esp_ingress_request_duration")
        .description("Time to answer a send API request")
        .tag("method", method).tag("route", route)
        .publishPercentileHistogram()
        .register(registry));
    return new PlatformHandler() {
      @Override
      public void handle(RoutingContext ctx) {
        time(ctx, timer, method, route);
      }
    };
  }

  private void time(RoutingContext ctx, Timer timer, String method, String route) {
    long start = System.nanoTime();
    ctx.addEndHandler(v -> {
      timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      counter("esp_ingress_requests", "method", method, "route", route, "status",
          Integer.toString(ctx.response().getStatusCode())).increment();
    });
    ctx.next();
  }

  void accepted(String channel, String priority, int recipients) {
    counter("esp_ingress_messages_accepted", "channel", channel, "priority", priority).increment(recipients);
  }

  void rejected(String code, int recipients) {
    if (recipients > 0) {
      counter("esp_ingress_recipients_rejected", "code", code).increment(recipients);
    }
  }

  void kafkaFailure(String kind) {
    counter("esp_ingress_kafka_failures", "kind", kind).increment();
  }

  private Counter counter(String name, String... tags) {
    String key = name + String.join("|", tags);
    Counter c = counters.get(key);
    if (c == null) {
      c = counters.computeIfAbsent(key, k -> Counter.builder(name).description(HELP.get(name)).tags(tags)
          .register(registry));
    }
    return c;
  }
}
