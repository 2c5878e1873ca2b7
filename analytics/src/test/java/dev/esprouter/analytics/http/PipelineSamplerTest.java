package dev.esprouter.analytics.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PipelineSampler: per-interval rates and latency quantiles from the meter registry")
class PipelineSamplerTest {

  @Test
  @DisplayName("p50 and p99 of the calls since the last sample, from the Prometheus registry's cumulative buckets")
  void latency() {
    MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Timer sendgrid = timer(registry, "sendgrid");
    Timer postmark = timer(registry, "postmark");
    PipelineSampler sampler = new PipelineSampler(registry, 10, 5);
    // Old, slow calls before the first sample do not count in the next interval.
    for (int i = 0; i < 50; i++) {
      sendgrid.record(Duration.ofSeconds(3));
    }
    sampler.sample();
    for (int i = 0; i < 98; i++) {
      (i % 2 == 0 ? sendgrid : postmark).record(Duration.ofMillis(10));
    }
    postmark.record(Duration.ofMillis(800));
    postmark.record(Duration.ofMillis(800));
    sampler.sample();
    JsonObject json = sampler.toJson();
    double p50 = json.getJsonArray("latency_p50_ms").getDouble(1);
    double p99 = json.getJsonArray("latency_p99_ms").getDouble(1);
    assertThat(p50).as("p50 ms").isBetween(5.0, 12.0);
    assertThat(p99).as("p99 ms").isBetween(500.0, 900.0);
    assertThat(json.getJsonArray("latency_p50_ms").getValue(0)).as("no interval before the first sample").isNull();
  }

  @Test
  @DisplayName("throughput per second between samples; series of meters this process lacks are null")
  void rates() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Counter accepted = Counter.builder("esp_provider_recipients_total").tag("provider", "sendgrid")
        .tag("outcome", "accepted").register(registry);
    PipelineSampler sampler = new PipelineSampler(registry, 10, 3);
    sampler.sample();
    accepted.increment(500);
    Thread.sleep(100);
    sampler.sample();
    JsonObject json = sampler.toJson();
    assertThat(json.getJsonArray("sent_per_sec").getDouble(1)).isGreaterThan(500.0);
    assertThat(json.getJsonArray("router_lag_records").getValue(1)).isNull();
    assertThat(json.getJsonArray("dlq_depth").getValue(1)).isNull();
    for (int i = 0; i < 5; i++) {
      sampler.sample();
    }
    assertThat(sampler.toJson().getJsonArray("t")).as("only the last samples are kept").hasSize(3);
  }

  @Test
  @DisplayName("quantile interpolates within the bucket, cumulative counts or not")
  void quantile() {
    TreeMap<Double, Double> perBucket = new TreeMap<>();
    perBucket.put(10.0, 50.0);
    perBucket.put(20.0, 50.0);
    TreeMap<Double, Double> cumulative = new TreeMap<>();
    cumulative.put(10.0, 50.0);
    cumulative.put(20.0, 100.0);
    assertThat(PipelineSampler.quantile(perBucket, 100, 0.75)).isEqualTo(15.0);
    assertThat(PipelineSampler.quantile(cumulative, 100, 0.75)).isEqualTo(15.0);
    assertThat(PipelineSampler.quantile(cumulative, 100, 0.25)).isEqualTo(5.0);
  }

  private static Timer timer(MeterRegistry registry, String provider) {
    return Timer.builder("esp_provider_request_duration_seconds").tag("provider", provider)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
  }

}
