package dev.esprouter.common.runtime;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * In-process services one role offers another through an interface in {@code common}, for example
 * the analytics role's {@link dev.esprouter.common.routing.WeightSource} used by the router, or the
 * router's {@link dev.esprouter.common.routing.ProviderHealth} shown by analytics.
 */
public final class Services {

  private final ConcurrentMap<Class<?>, Object> byType = new ConcurrentHashMap<>();

  public <T> void register(Class<T> type, T service) {
    byType.put(type, service);
  }

  public <T> Optional<T> find(Class<T> type) {
    return Optional.ofNullable(type.cast(byType.get(type)));
  }
}
