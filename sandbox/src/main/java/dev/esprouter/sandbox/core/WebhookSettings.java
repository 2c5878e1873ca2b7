package dev.esprouter.sandbox.core;

/**
 * Limits of webhook emission, so that a million-recipient run keeps a bounded heap and leaves the
 * send API its CPU: a rate cap on events per second (all providers together), a bounded queue per
 * provider, a bounded number of POSTs in flight per provider, and the provider-like retry schedule
 * (exponential from {@code retryBaseMs}, {@code maxAttempts} in all).
 */
public record WebhookSettings(int ratePerSec, int queuePerProvider, int maxInflightPerProvider, int maxAttempts,
                              long retryBaseMs, long flushIntervalMs) {

  public static WebhookSettings defaults() {
    return new WebhookSettings(20_000, 20_000, 8, 6, 1_000, 50);
  }

  public WebhookSettings {
    if (ratePerSec < 1 || queuePerProvider < 1 || maxInflightPerProvider < 1 || maxAttempts < 1 || retryBaseMs < 1
        || flushIntervalMs < 1) {
      throw new IllegalArgumentException("webhook settings must all be positive: " + this);
    }
  }

  public WebhookSettings withRetryBaseMs(long ms) {
    return new WebhookSettings(ratePerSec, queuePerProvider, maxInflightPerProvider, maxAttempts, ms, flushIntervalMs);
  }

  public WebhookSettings withMaxAttempts(int n) {
    return new WebhookSettings(ratePerSec, queuePerProvider, maxInflightPerProvider, n, retryBaseMs, flushIntervalMs);
  }

  public WebhookSettings withRatePerSec(int n) {
    return new WebhookSettings(n, queuePerProvider, maxInflightPerProvider, maxAttempts, retryBaseMs, flushIntervalMs);
  }

  public WebhookSettings withQueuePerProvider(int n) {
    return new WebhookSettings(ratePerSec, n, maxInflightPerProvider, maxAttempts, retryBaseMs, flushIntervalMs);
  }
}
