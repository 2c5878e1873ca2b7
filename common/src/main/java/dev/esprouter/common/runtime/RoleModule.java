package dev.esprouter.common.runtime;

import dev.esprouter.common.config.EspConfig;
import io.vertx.core.Future;

/**
 * One role of the process (ingress, router, webhooks, analytics, sandbox), found by the app through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.esprouter.common.runtime.RoleModule}).
 * The app calls {@link #configure} on every selected role before anything starts, then
 * {@link #start} in dependency order (sandbox, analytics, router, webhooks, ingress: what a role
 * uses is up before it), then serves HTTP; on SIGTERM it stops HTTP first and calls {@link #stop} in
 * reverse order.
 */
public interface RoleModule {

  EspConfig.Role role();

  /** Reads and validates this role's own settings from {@code config.reader()}; throws ConfigException. */
  default void configure(EspConfig config) {
  }

  /** Deploys this role's verticles and registers its HTTP routes with {@link RoleContext#routes()}. */
  Future<Void> start(RoleContext ctx);

  /** Stops taking work, finishes or hands back what is in flight, commits offsets. */
  Future<Void> stop();
}
