package dev.esprouter.router.provider;

import dev.esprouter.common.Priority;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * A token bucket of provider calls per second, confined to one event loop (every method is called
 * on the router's context, so there are no locks). Waiters never block a thread: they get a
 * future completed by a timer, in priority order (high before normal before low, FIFO within a
 * priority), so a transactional message never queues behind a bulk campaign's calls.
 *
 * <p>Adaptive (AIMD): a throttle answer halves the rate (not below 1 % of the configured one) and
 * holds every call until the provider's retry signal has passed; each second without throttling
 * adds back 10 % of the configured rate. The effective rate is the adaptive rate times this
 * process's share of the cluster (its share of the assigned partitions).
 */
public final class ProviderRateLimiter {

  private record Waiter(Priority priority, long seq, Promise<Long> promise, long since) {
  }

  private final Vertx vertx;
  private final LongSupplier nanoClock;
  private final double configuredRate;
  private final double configuredBurst;
  private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> a.priority != b.priority
      ? Integer.compare(a.priority.ordinal(), b.priority.ordinal()) : Long.compare(a.seq, b.seq));
  private double rate;
  private double share = 1.0;
  private double tokens;
  private long lastRefill;
  private long blockedUntil;
  private long lastThrottle;
  private long seq;
  private long timer = -1;

  public ProviderRateLimiter(Vertx vertx, double ratePerSec, int burst, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.nanoClock = nanoClock;
    this.configuredRate = ratePerSec;
    this.configuredBurst = burst;
    this.rate = ratePerSec;
    this.tokens = burst;
    this.lastRefill = nanoClock.getAsLong();
    this.blockedUntil = lastRefill;
    this.lastThrottle = lastRefill - 1_000_000_000L;
  }

  /** Completes (with the nanoseconds waited) when a call may go. */
  public Future<Long> acquire(Priority priority) {
    long now = nanoClock.getAsLong();
    refill(now);
    if (waiters.isEmpty() && now >= blockedUntil && tokens >= 1) {
      tokens -= 1;
      return Future.succeededFuture(0L);
    }
    Promise<Long> p = Promise.promise();
    waiters.add(new Waiter(priority, seq++, p, now));
    schedule(now);
    return p.future();
  }

  /** The provider said slow down: halve the rate and hold every call for its retry signal (1 s when it gave none). */
  public void throttled(Duration retryAfter) {
    long now = nanoClock.getAsLong();
    rate = Math.max(configuredRate * 0.01, rate / 2);
    lastThrottle = now;
    tokens = 0;
    long hold = retryAfter == null ? 1_000_000_000L : Math.max(0, retryAfter.toNanos());
    blockedUntil = Math.max(blockedUntil, now + hold);
    schedule(now);
  }

  /** Additive increase, called once a second. */
  public void recover() {
    long now = nanoClock.getAsLong();
    if (now - lastThrottle >= 1_000_000_000L && rate < configuredRate) {
      rate = Math.min(configuredRate, rate + configuredRate * 0.1);
    }
  }

  /** This process's share of the cluster-wide limit (0 < share ≤ 1). */
  public void share(double share) {
    this.share = Math.max(0.001, Math.min(1.0, share));
    tokens = Math.min(tokens, burst());
  }

  /** Calls per second allowed now (adaptive rate × share). */
  public double currentRate() {
    return rate * share;
  }

  public int waiting() {
    return waiters.size();
  }

  private double burst() {
    return Math.max(1, configuredBurst * share);
  }

  private void refill(long now) {
    double add = (now - lastRefill) / 1e9 * currentRate();
    tokens = Math.min(burst(), tokens + add);
    lastRefill = now;
  }

  private void drain() {
    timer = -1;
    long now = nanoClock.getAsLong();
    refill(now);
    while (!waiters.isEmpty() && now >= blockedUntil && tokens >= 1) {
      tokens -= 1;
      Waiter w = waiters.poll();
      w.promise.complete(now - w.since);
    }
    schedule(now);
  }

  private void schedule(long now) {
    if (waiters.isEmpty() || timer >= 0) {
      return;
    }
    long untilToken = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / currentRate() * 1e9);
    long delayNanos = Math.max(blockedUntil - now, untilToken);
    timer = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> drain());
  }
}
