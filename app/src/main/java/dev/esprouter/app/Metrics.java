package dev.esprouter.app;

import dev.esprouter.common.config.EspConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The one meter registry behind {@code GET /metrics}: JVM and process metrics and Vert.x's HTTP
 * server/client and pool metrics under their standard names ({@code jvm_*}, {@code vertx_http_server_*}
 * with method, route and status labels; routes are templates such as {@code /v1/messages/:id}, so
 * labels stay bounded; the built-in sandbox's server is left out), so stock Grafana panels work; the
 * router's own meters are {@code esp_*}.
 */
final class Metrics {

  private Metrics() {
  }

  /**
   * The registry, with the sandbox's own HTTP server left out of the {@code vertx_http_server_*}
   * meters when the sandbox runs in this process: it is a stand-in for the providers, not part of the
   * API, and its requests would mix into the "requests by route" panels. Its traffic is counted by
   * its own {@code esp_sandbox_*} meters.
   */
  static PrometheusMeterRegistry registry(EspConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new HttpServerFilter(config.runs(EspConfig.Role.SANDBOX)
        ? config.sandbox().port() : -1));
    return registry;
  }

  /**
   * Vert.x tags server meters with the server's {@code local} address only when asked to (the
   * {@link Label#LOCAL} label below); this filter uses the tag to drop the sandbox server's meters and
   * then removes it, so the API's series keep their usual labels.
   */
  static final class HttpServerFilter implements MeterFilter {

    private static final String SANDBOX = "esp.sandbox";
    private final String sandboxSuffix;

    HttpServerFilter(int sandboxPort) {
      this.sandboxSuffix = sandboxPort < 0 ? null : ":" + sandboxPort;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
      String local = id.getTag(Label.LOCAL.toString());
      if (local == null) {
        return id;
      }
      List<Tag> tags = new ArrayList<>();
      for (Tag t : id.getTagsAsIterable()) {
        if (!t.getKey().equals(Label.LOCAL.toString())) {
          tags.add(t);
        }
      }
      if (sandboxSuffix != null && local.endsWith(sandboxSuffix)) {
        tags.add(Tag.of(SANDBOX, "true"));
      }
      return id.replaceTags(tags);
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
      return id.getTag(SANDBOX) != null ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }
  }

  static void bindJvm(PrometheusMeterRegistry registry) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmHeapPressureMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  static MicrometerMetricsOptions vertxOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_ROUTE, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME,
            Label.LOCAL))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true));
  }
}
