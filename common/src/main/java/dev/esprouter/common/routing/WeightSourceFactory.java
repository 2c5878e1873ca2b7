package dev.esprouter.common.routing;

import dev.esprouter.common.runtime.RoleContext;

/**
 * Found through {@link java.util.ServiceLoader}; the app creates the weight source once, before any
 * role starts, and registers it in {@link dev.esprouter.common.runtime.Services}, so a process that
 * runs the router without the analytics role still gets learned weights.
 */
public interface WeightSourceFactory {

  /** The weight source, or null when the configuration says not to learn (fixed weights). */
  WeightSource create(RoleContext ctx);
}
