package dev.esprouter.providers.send;

/**
 * How a provider answered for one recipient (PROVIDERS.md retry tables), and what the router does:
 * <ul>
 *   <li>{@link #ACCEPTED}: the provider took it; status {@code sent}.</li>
 *   <li>{@link #REJECTED}: permanent for the request or the recipient; {@code failed}, no retry and
 *       no failover (the next provider would fail the same way).</li>
 *   <li>{@link #TRANSIENT}: provider-side (5xx, timeout, connection error); fail over now, counts
 *       against the provider's circuit breaker.</li>
 *   <li>{@link #THROTTLED}: rate limited (429, 420, 130429, OverQuota); fail over, the limiter
 *       lowers its rate and honours the retry signal; not a breaker failure.</li>
 *   <li>{@link #CONFIG}: the provider refuses our account or credentials; alert, fail over, counts
 *       against the breaker.</li>
 * </ul>
 */
public enum SendOutcome {
  ACCEPTED, REJECTED, TRANSIENT, THROTTLED, CONFIG;

  /** True when the recipients should go to another provider of the channel. */
  public boolean failsOver() {
    return this == TRANSIENT || this == THROTTLED || this == CONFIG;
  }

  /** True when the answer says the provider itself is unwell (the breaker counts it). */
  public boolean providerFault() {
    return this == TRANSIENT || this == CONFIG;
  }

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
