package dev.esprouter.analytics.weights;

import java.util.Locale;

/**
 * The rates about a provider's sending path (its IPs and reputation) that a sender watches and that
 * the change detector and the hard limits test: provider-side failures (blocks, reputation refusals,
 * provider-side hard bounces) over resolved sends, complaints over deliveries, deferrals over
 * resolved sends and deferrals. Recipient-side failures are about the address, never here.
 */
public enum SenderMetric {
  FAILURE, COMPLAINT, DEFERRAL;

  public double hits(DecayedCounts c) {
    return switch (this) {
      case FAILURE -> c.failures();
      case COMPLAINT -> c.complained();
      case DEFERRAL -> c.deferred();
    };
  }

  public double trials(DecayedCounts c) {
    return switch (this) {
      case FAILURE -> c.resolved();
      case COMPLAINT -> c.delivered();
      case DEFERRAL -> c.resolved() + c.deferred();
    };
  }

  /** The rate of {@code c} smoothed by {@code prior}. */
  public double rate(DecayedCounts c, WeightParameters.Prior prior) {
    return prior.smooth(hits(c), trials(c));
  }

  public WeightParameters.Prior prior(WeightParameters p) {
    return switch (this) {
      case FAILURE -> p.failure();
      case COMPLAINT -> p.complaint();
      case DEFERRAL -> p.deferral();
    };
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
