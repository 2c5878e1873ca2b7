package dev.esprouter.router.provider;

import java.util.function.LongSupplier;

/**
 * Calls and provider-side failures over a sliding window of ten buckets. The breaker opens on the
 * failure <em>rate</em> once enough calls were seen, so it behaves the same at 5 and at 500 calls
 * a second (a plain "5 failures" threshold would trip on noise at high volume and never at low).
 */
public final class FailureRateWindow {

  private static final int BUCKETS = 10;

  private final long bucketNanos;
  private final LongSupplier nanoClock;
  private final long[] calls = new long[BUCKETS];
  private final long[] failures = new long[BUCKETS];
  private long currentBucket;

  public FailureRateWindow(long windowMs, LongSupplier nanoClock) {
    this.bucketNanos = Math.max(1, windowMs * 1_000_000L / BUCKETS);
    this.nanoClock = nanoClock;
    this.currentBucket = nanoClock.getAsLong() / bucketNanos;
  }

  public void record(boolean failure) {
    int i = advance();
    calls[i]++;
    if (failure) {
      failures[i]++;
    }
  }

  public long calls() {
    advance();
    long n = 0;
    for (long c : calls) {
      n += c;
    }
    return n;
  }

  /** Failures / calls in the window; 0 when there were no calls. */
  public double failureRate() {
    advance();
    long c = 0;
    long f = 0;
    for (int i = 0; i < BUCKETS; i++) {
      c += calls[i];
      f += failures[i];
    }
    return c == 0 ? 0 : (double) f / c;
  }

  public void clear() {
    java.util.Arrays.fill(calls, 0);
    java.util.Arrays.fill(failures, 0);
  }

  private int advance() {
    long b = nanoClock.getAsLong() / bucketNanos;
    long steps = Math.min(BUCKETS, b - currentBucket);
    for (long s = 1; s <= steps; s++) {
      int i = (int) ((currentBucket + s) % BUCKETS);
      calls[i] = 0;
      failures[i] = 0;
    }
    currentBucket = Math.max(currentBucket, b);
    return (int) (currentBucket % BUCKETS);
  }
}
