package dev.esprouter.analytics.http;

import dev.esprouter.analytics.weights.WeightHistory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * This process's own recent history of what has no durable store: send throughput, provider call
 * latency, consumer lag, dead-letter depth and the current weights, read from the meter registry
 * every {@code stepSeconds} into a ring of the last {@code keep} samples ({@code GET /v1/stats/pipeline}).
 * A process that does not run the router has no router meters: those series are null. Cluster-wide
 * and longer history is Prometheus' job; this is what the dashboard shows without one.
 */
public final class PipelineSampler {

  /** One sample; null where the meter does not exist in this process. */
  private record Sample(long t, Double sentPerSec, Double callsPerSec, Double p50Ms, Double p99Ms, Double routerLag,
                        Double analyticsLag, Double dlqDepth, Map<String, Double> weights) {
  }

  private final MeterRegistry registry;
  private final int stepSeconds;
  private final int keep;
  private final ArrayDeque<Sample> ring = new ArrayDeque<>();
  private double lastSent = Double.NaN;
  private double lastCalls = Double.NaN;
  private Map<Double, Double> lastBuckets = Map.of();
  private double lastCount = Double.NaN;
  private long lastAt;
  private long timer = -1;

  public PipelineSampler(MeterRegistry registry, int stepSeconds, int keep) {
    this.registry = registry;
    this.stepSeconds = stepSeconds;
    this.keep = keep;
  }

  public PipelineSampler start(Vertx vertx) {
    sample();
    timer = vertx.setPeriodic(stepSeconds * 1000L, id -> sample());
    return this;
  }

  public void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  synchronized void sample() {
    long now = System.currentTimeMillis();
    double seconds = lastAt == 0 ? Double.NaN : (now - lastAt) / 1000d;
    Collection<Counter> sent = registry.find("esp_provider_recipients_total").tag("outcome", "accepted").counters();
    Collection<Counter> calls = registry.find("esp_provider_requests_total").counters();
    double sentTotal = sent.isEmpty() ? Double.NaN : sent.stream().mapToDouble(Counter::count).sum();
    double callTotal = calls.isEmpty() ? Double.NaN : calls.stream().mapToDouble(Counter::count).sum();
    Double[] latency = latency();
    Sample s = new Sample(now / 1000, perSecond(sentTotal, lastSent, seconds), perSecond(callTotal, lastCalls, seconds),
        latency[0], latency[1], gaugeSum("esp_router_consumer_lag_records"),
        gaugeSum("esp_analytics_consumer_lag_records"), dlqDepth(), weights());
    lastSent = sentTotal;
    lastCalls = callTotal;
    lastAt = now;
    ring.addLast(s);
    while (ring.size() > keep) {
      ring.removeFirst();
    }
  }

  /** The columnar series, oldest first. */
  public synchronized JsonObject toJson() {
    JsonArray t = new JsonArray();
    JsonArray sent = new JsonArray();
    JsonArray calls = new JsonArray();
    JsonArray p50 = new JsonArray();
    JsonArray p99 = new JsonArray();
    JsonArray routerLag = new JsonArray();
    JsonArray analyticsLag = new JsonArray();
    JsonArray dlq = new JsonArray();
    TreeSet<String> weightKeys = new TreeSet<>();
    for (Sample s : ring) {
      t.add(s.t);
      sent.add(s.sentPerSec);
      calls.add(s.callsPerSec);
      p50.add(s.p50Ms);
      p99.add(s.p99Ms);
      routerLag.add(s.routerLag);
      analyticsLag.add(s.analyticsLag);
      dlq.add(s.dlqDepth);
      weightKeys.addAll(s.weights.keySet());
    }
    // weights: {"email": {"sendgrid": [..]}} or, where routing labels a domain group, {"email/gmail": {...}}
    JsonObject weights = new JsonObject();
    for (String key : weightKeys) {
      int cut = key.lastIndexOf('|');
      String series = key.substring(0, cut);
      String provider = key.substring(cut + 1);
      JsonArray values = new JsonArray();
      for (Sample s : ring) {
        values.add(s.weights.get(key));
      }
      JsonObject perSeries = weights.getJsonObject(series);
      if (perSeries == null) {
        perSeries = new JsonObject();
        weights.put(series, perSeries);
      }
      perSeries.put(provider, values);
    }
    return new JsonObject().put("scope", "process").put("step_seconds", stepSeconds).put("t", t)
        .put("sent_per_sec", sent).put("calls_per_sec", calls).put("latency_p50_ms", p50).put("latency_p99_ms", p99)
        .put("router_lag_records", routerLag).put("analytics_lag_records", analyticsLag).put("dlq_depth", dlq)
        .put("weights", weights);
  }

  private static Double perSecond(double total, double last, double seconds) {
    if (Double.isNaN(total) || Double.isNaN(last) || Double.isNaN(seconds) || seconds <= 0) {
      return null;
    }
    return Math.round(Math.max(0, total - last) / seconds * 100) / 100d;
  }

  private Double gaugeSum(String name) {
    Collection<Gauge> gauges = registry.find(name).gauges();
    if (gauges.isEmpty()) {
      return null;
    }
    return gauges.stream().mapToDouble(Gauge::value).filter(v -> !Double.isNaN(v)).sum();
  }

  private Double dlqDepth() {
    Collection<Gauge> gauges = registry.find("esp_dlq_depth_messages").gauges();
    double max = gauges.stream().mapToDouble(Gauge::value).filter(v -> !Double.isNaN(v)).max().orElse(-1);
    return max < 0 ? null : max;
  }

  private Map<String, Double> weights() {
    Map<String, Double> out = new HashMap<>();
    for (Gauge g : registry.find("esp_routing_weight_points").gauges()) {
      String channel = g.getId().getTag("channel");
      String group = g.getId().getTag("domain_group");
      String provider = g.getId().getTag("provider");
      if (channel != null && provider != null) {
        // The same series names as the weight history: email/<group>; whatsapp and telegram have one group.
        dev.esprouter.common.Channel c = dev.esprouter.common.Channel.fromWire(channel);
        dev.esprouter.common.routing.DomainGroup dg = dev.esprouter.common.routing.DomainGroup.fromWire(group);
        String series = c != null && dg != null ? WeightHistory.seriesKey(c, dg)
            : channel + (group == null ? "" : "/" + group);
        out.put(series + "|" + provider, g.value());
      }
    }
    return out;
  }

  /**
   * p50 and p99 of the provider calls since the last sample, in ms, from the timers' histogram buckets
   * (all providers merged), interpolated within a bucket as Prometheus' histogram_quantile does.
   */
  private Double[] latency() {
    Collection<Timer> timers = registry.find("esp_provider_request_duration_seconds").timers();
    Map<Double, Double> buckets = new TreeMap<>();
    double count = 0;
    for (Timer timer : timers) {
      HistogramSnapshot snap = timer.takeSnapshot();
      count += snap.count();
      for (CountAtBucket b : snap.histogramCounts()) {
        buckets.merge(b.bucket(TimeUnit.MILLISECONDS), b.count(), Double::sum);
      }
    }
    Double[] out = {null, null};
    if (!Double.isNaN(lastCount) && !buckets.isEmpty() && count > lastCount) {
      double total = count - lastCount;
      TreeMap<Double, Double> delta = new TreeMap<>();
      buckets.forEach((le, c) -> delta.put(le, c - lastBuckets.getOrDefault(le, 0d)));
      out[0] = quantile(delta, total, 0.5);
      out[1] = quantile(delta, total, 0.99);
    }
    lastBuckets = buckets;
    lastCount = timers.isEmpty() ? Double.NaN : count;
    return out;
  }

  /** The q-quantile of bucket counts (cumulative or not: both are handled) over {@code total} observations. */
  static Double quantile(TreeMap<Double, Double> counts, double total, double q) {
    double sum = counts.values().stream().mapToDouble(Double::doubleValue).sum();
    boolean cumulative = sum > total + 1e-9;
    double rank = q * total;
    double below = 0;
    double lower = 0;
    for (Map.Entry<Double, Double> e : counts.entrySet()) {
      double upTo = cumulative ? e.getValue() : below + e.getValue();
      if (upTo >= rank && upTo > below) {
        double v = lower + (e.getKey() - lower) * (rank - below) / (upTo - below);
        return Math.round(v * 100) / 100d;
      }
      below = upTo;
      lower = e.getKey();
    }
    return Math.round(lower * 100) / 100d;
  }
}
