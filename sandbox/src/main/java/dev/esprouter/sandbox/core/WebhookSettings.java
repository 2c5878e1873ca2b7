package dev.esprouter.sandbox.core;

/**
 * Limits of webhook emission, so that a million-recipient run keeps a bounded heap and leaves the
 * send API its CPU: rate caps on events and on POSTs per second for all providers together (those
 * that post one event at a time cost a request each), a bounded queue per provider, a bounded
 * number of POSTs in flight per provider, and the provider-like retry schedule (exponential from
 * {@code retryBaseMs}, {@code maxAttempts} in all).
 */
public record WebhookSettings(int ratePerSec, int postsPerSec, int queuePerProvider, int maxInflightPerProvider,
                              int maxAttempts, long retryBaseMs, long flushIntervalMs) {

  public static WebhookSettings defaults() {
    return new WebhookSettings(5_000, 1_000, 20_000, 8, 6, 1_000, 50);
  }

  public WebhookSettings {
    if (ratePerSec < 1 || postsPerSec < 1 || queuePerProvider < 1 || maxInflightPerProvider < 1 || maxAttempts < 1
        || retryBaseMs < 1 || flushIntervalMs < 1) {
      throw new IllegalArgumentException("webhook settings must all be positive: " + this);
    }
  }

  public WebhookSettings withRetryBaseMs(long ms) {
    return new WebhookSettings(ratePerSec, postsPerSec, queuePerProvider, maxInflightPerProvider, maxAttempts, ms,
        flushIntervalMs);
  }

  public WebhookSettings withMaxAttempts(int n) {
    return new WebhookSettings(ratePerSec, postsPerSec, queuePerProvider, maxInflightPerProvider, n, retryBaseMs,
        flushIntervalMs);
  }

  /** Caps events a second (and POSTs a second at a fifth of it, never below the default). */
  public WebhookSettings withRatePerSec(int n) {
    return new WebhookSettings(n, Math.max(postsPerSec, n / 5), queuePerProvider, maxInflightPerProvider, maxAttempts,
        retryBaseMs, flushIntervalMs);
  }

  public WebhookSettings withQueuePerProvider(int n) {
    return new WebhookSettings(ratePerSec, postsPerSec, n, maxInflightPerProvider, maxAttempts, retryBaseMs,
        flushIntervalMs);
  }
}
