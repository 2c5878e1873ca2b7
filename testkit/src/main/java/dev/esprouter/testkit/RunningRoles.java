package dev.esprouter.testkit;

import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.runtime.RoleModule;
import dev.esprouter.common.runtime.RoleRuntime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Roles running in a Vert.x of their own, wired exactly as the app wires them ({@link RoleRuntime}),
 * for integration tests: {@code try (RunningRoles r = RunningRoles.start(config, new IngressRole()))}.
 * Blocks the calling (JUnit) thread only.
 */
public final class RunningRoles implements AutoCloseable {

  private final Vertx vertx;
  private final RoleRuntime runtime;
  private final EspConfig config;
  private final PrometheusMeterRegistry registry;

  private RunningRoles(Vertx vertx, RoleRuntime runtime, EspConfig config, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.config = config;
    this.registry = registry;
  }

  /**
   * Every role on the classpath that {@code config}'s ESP_ROLES selects, found and ordered as the
   * app does ({@link RoleRuntime#discover}, {@link RoleRuntime#select}): a role module that joins the
   * build (campaigns, ...) joins the test without the test naming it.
   */
  public static RunningRoles startSelected(EspConfig config) {
    return start(config, RoleRuntime.select(config, RoleRuntime.discover()).toArray(RoleModule[]::new));
  }

  public static RunningRoles start(EspConfig config, RoleModule... modules) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new io.vertx.core.VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)).setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    try {
      List<RoleModule> selected = List.of(modules);
      selected.forEach(m -> m.configure(config));
      RoleRuntime rt = RoleRuntime.start(vertx, config, registry, selected).await(60, TimeUnit.SECONDS);
      return new RunningRoles(vertx, rt, config, registry);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("roles did not start", e);
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public RoleRuntime runtime() {
    return runtime;
  }

  public EspConfig config() {
    return config;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** http://127.0.0.1:port of the main HTTP port. */
  public String baseUrl() {
    return "http://127.0.0.1:" + config.httpPort();
  }

  @Override
  public void close() {
    try {
      runtime.stop().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Best effort: the Vert.x close below releases whatever is left.
    } finally {
      try {
        vertx.close().await(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Nothing more to release.
      }
    }
  }
}
