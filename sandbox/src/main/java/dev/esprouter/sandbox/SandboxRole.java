package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.RoleModule;
import io.vertx.core.Future;
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
      log.info("sandbox: six providers on {}/<provider>, webhooks to {}/<provider> (seed {})", s.baseUrl(),
          options.webhookBase(), s.seed());
      return null;
    });
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
