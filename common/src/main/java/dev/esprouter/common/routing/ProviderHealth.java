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
  private final Map<ProviderName, Double> configuredRates = new ConcurrentHashMap<>();

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

  /** The provider's configured (documented) rate of this process, calls a second. */
  public void configuredRate(ProviderName p, double callsPerSec) {
    configuredRates.put(p, callsPerSec);
  }

  /** The configured rate, or NaN when the router has not reported one. */
  public double configuredRate(ProviderName p) {
    return configuredRates.getOrDefault(p, Double.NaN);
  }

  /**
   * How much of its configured rate the provider can take now (its adaptive rate after throttles
   * over the configured one), from 0 to 1; 1 when unknown.
   */
  public double capacity(ProviderName p) {
    double cur = currentRate(p);
    double conf = configuredRate(p);
    if (Double.isNaN(cur) || Double.isNaN(conf) || conf <= 0) {
      return 1.0;
    }
    return Math.max(0, Math.min(1, cur / conf));
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
