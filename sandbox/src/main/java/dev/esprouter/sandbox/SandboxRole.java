package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.RoleModule;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sandbox} role: the six providers' stand-in on its own port ({@code ESP_SANDBOX_PORT},
 * default 8089), not on the main HTTP port; it mounts no routes there. On by default in sandbox
 * mode, where the router's provider base URLs point at it.
 */
public final class SandboxRole implements RoleModule {

  private static final Logger log = LoggerFactory.getLogger(SandboxRole.class);

  private SandboxOptions options;
  private SandboxServer server;

  @Override
  public EspConfig.Role role() {
    return EspConfig.Role.SANDBOX;
  }

  @Override
  public void configure(EspConfig config) {
    options = SandboxOptions.from(config);
  }

  @Override
  public Future<Void> start(RoleContext ctx) {
    if (options == null) {
      configure(ctx.config());
    }
    return SandboxServer.start(ctx.vertx(), options).map(s -> {
      server = s;
      registerMetrics(ctx.registry(), s);
      log.info("sandbox: six providers on {}/<provider>, webhooks to {}/<provider> (seed {})", s.baseUrl(),
          options.webhookBase(), s.seed());
      return null;
    });
  }

  /**
   * The record as metrics on the app's {@code /metrics} ({@code esp_sandbox_*_total} per provider),
   * so a Grafana panel can set what the sandbox received beside what the router sent.
   */
  private static void registerMetrics(MeterRegistry registry, SandboxServer s) {
    for (ProviderName p : ProviderName.values()) {
      counter(registry, s, p, "esp_sandbox_requests", "requests received", SandboxStats.Provider::requests);
      counter(registry, s, p, "esp_sandbox_recipients_accepted", "recipients accepted",
          SandboxStats.Provider::messages);
      counter(registry, s, p, "esp_sandbox_duplicates", "recipients whose router id was accepted before",
          SandboxStats.Provider::duplicates);
      counter(registry, s, p, "esp_sandbox_rejected", "requests, elements and recipients refused",
          SandboxStats.Provider::rejected);
      counter(registry, s, p, "esp_sandbox_webhook_events_sent", "webhook events answered 2xx",
          SandboxStats.Provider::webhooksSent);
      counter(registry, s, p, "esp_sandbox_webhook_events_failed", "webhook events given up after retries",
          SandboxStats.Provider::webhooksFailed);
      counter(registry, s, p, "esp_sandbox_webhook_events_dropped", "webhook events that did not fit the queue",
          SandboxStats.Provider::webhooksDropped);
      Gauge.builder("esp_sandbox_webhook_events_pending", s, x -> x.stats().of(p).webhooksPending())
          .description("webhook events queued or in flight").tag("provider", p.wire()).register(registry);
    }
  }

  private static void counter(MeterRegistry registry, SandboxServer s, ProviderName p, String name, String help,
                              ToLongFunction<SandboxStats.Provider> value) {
    FunctionCounter.builder(name, s, x -> value.applyAsLong(x.stats().of(p))).description(help)
        .tag("provider", p.wire()).register(registry);
  }

  /** The running sandbox (null before start): tests and the demo read its record through it. */
  public SandboxServer server() {
    return server;
  }

  /** The running sandbox's base URL of one provider. */
  public String baseUrl(ProviderName p) {
    return server.baseUrl(p);
  }

  @Override
  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.stop();
  }
}
