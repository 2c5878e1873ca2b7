package dev.esprouter.common.routing;

import dev.esprouter.common.ProviderName;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process view of each provider's circuit breaker and adaptive rate, written by the router and
 * read by analytics (weights, explain, dashboard). Created by the app and shared through
 * {@link dev.esprouter.common.runtime.Services}; safe to use from any thread.
 */
public final class ProviderHealth {

  /** The breaker states of API.md ({@code closed}, {@code open}, {@code half_open}). */
  public enum Breaker {
    CLOSED, OPEN, HALF_OPEN;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Map<ProviderName, Breaker> breakers = new ConcurrentHashMap<>();
  private final Map<ProviderName, Double> currentRates = new ConcurrentHashMap<>();

  public void breaker(ProviderName p, Breaker state) {
    breakers.put(p, state);
  }

  public Breaker breaker(ProviderName p) {
    return breakers.getOrDefault(p, Breaker.CLOSED);
  }

  /** Providers that must get no new traffic now (breaker open). */
  public Set<ProviderName> unavailable() {
    Set<ProviderName> out = EnumSet.noneOf(ProviderName.class);
    breakers.forEach((p, s) -> {
      if (s == Breaker.OPEN) {
        out.add(p);
      }
    });
    return out;
  }

  public void currentRate(ProviderName p, double callsPerSec) {
    currentRates.put(p, callsPerSec);
  }

  /** The limiter's current adaptive rate, or NaN when the router has not reported one. */
  public double currentRate(ProviderName p) {
    return currentRates.getOrDefault(p, Double.NaN);
  }

  public Map<ProviderName, Breaker> breakers() {
    Map<ProviderName, Breaker> out = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.values()) {
      out.put(p, breaker(p));
    }
    return out;
  }
}
