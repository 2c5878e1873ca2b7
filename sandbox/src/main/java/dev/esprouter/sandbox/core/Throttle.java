package dev.esprouter.sandbox.core;

/** A token bucket of requests per second with one second of burst; a new rate starts a full bucket. */
final class Throttle {

  private double rate;
  private double tokens;
  private long lastNanos;

  synchronized boolean tryAcquire(double ratePerSec, long nowNanos) {
    double burst = Math.max(1, ratePerSec);
    if (ratePerSec != rate) {
      rate = ratePerSec;
      tokens = burst;
      lastNanos = nowNanos;
    }
    tokens = Math.min(burst, tokens + (nowNanos - lastNanos) / 1e9 * rate);
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  synchronized void reset() {
    rate = 0;
  }
}
