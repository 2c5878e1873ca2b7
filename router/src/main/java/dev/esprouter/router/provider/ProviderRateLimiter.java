package dev.esprouter.router.provider;

import dev.esprouter.common.Priority;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * A token bucket of provider calls per second, confined to one event loop (every method is called
 * on the router's context, so there are no locks). Waiters never block a thread: they get a future
 * completed by a timer, in priority order (high before normal before low, FIFO within a priority).
 *
 * <p>One provider never holds back the others (DESIGN.md § Resilience): every wait has a deadline
 * (short for the high lane) and the queue is bounded; a call that cannot get a token in time fails
 * with {@link NoCapacityException} at once, and the router sends its recipients to another provider.
 * The last {@code highReserve} tokens of the bucket are the high lane's, so a transactional message
 * does not queue behind a campaign's calls even when they arrived first.
 *
 * <p>Adaptive (AIMD): a throttle answer halves the rate (not below 1 % of the configured one) and
 * holds every call until the provider's retry signal has passed; each second without throttling
 * adds back 10 % of the configured rate. The effective rate is the adaptive rate times this
 * process's share of the cluster (its share of the assigned partitions).
 */
public final class ProviderRateLimiter {

  /** The call could not get a token before its deadline, or the queue was full: send it elsewhere. */
  public static final class NoCapacityException extends RuntimeException {
    public NoCapacityException(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Waiter {
    final Priority priority;
    final long seq;
    final Promise<Long> promise;
    final long since;
    final long deadline;

    Waiter(Priority priority, long seq, Promise<Long> promise, long since, long deadline) {
      this.priority = priority;
      this.seq = seq;
      this.promise = promise;
      this.since = since;
      this.deadline = deadline;
    }
  }

  private final Vertx vertx;
  private final LongSupplier nanoClock;
  private final double configuredRate;
  private final double configuredBurst;
  private final int maxWaiters;
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
  private long timerAt = Long.MAX_VALUE;
  private Runnable onThrottle = () -> { };

  public ProviderRateLimiter(Vertx vertx, double ratePerSec, int burst, LongSupplier nanoClock) {
    this(vertx, ratePerSec, burst, 10_000, nanoClock);
  }

  public ProviderRateLimiter(Vertx vertx, double ratePerSec, int burst, int maxWaiters, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.nanoClock = nanoClock;
    this.configuredRate = ratePerSec;
    this.configuredBurst = burst;
    this.maxWaiters = maxWaiters;
    this.rate = ratePerSec;
    this.tokens = burst;
    this.lastRefill = nanoClock.getAsLong();
    this.blockedUntil = lastRefill;
    this.lastThrottle = lastRefill - 1_000_000_000L;
  }

  /** Completes (with the nanoseconds waited) when a call may go; never gives up. */
  public Future<Long> acquire(Priority priority) {
    return acquire(priority, Long.MAX_VALUE);
  }

  /**
   * Completes (with the nanoseconds waited) when a call may go, or fails with
   * {@link NoCapacityException} once {@code maxWaitNanos} have passed without a token, at once when
   * the queue is full or when the provider has asked us to wait longer than that.
   */
  public Future<Long> acquire(Priority priority, long maxWaitNanos) {
    long now = nanoClock.getAsLong();
    refill(now);
    if (waiters.isEmpty() && now >= blockedUntil && tokens >= 1 + reserveFor(priority)) {
      tokens -= 1;
      return Future.succeededFuture(0L);
    }
    long deadline = maxWaitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : now + maxWaitNanos;
    if (blockedUntil > deadline) {
      return Future.failedFuture(new NoCapacityException("throttled by the provider for another "
          + (blockedUntil - now) / 1_000_000 + " ms"));
    }
    if (waiters.size() >= maxWaiters) {
      return Future.failedFuture(new NoCapacityException(maxWaiters + " calls already waiting for the rate limit"));
    }
    Promise<Long> p = Promise.promise();
    waiters.add(new Waiter(priority, seq++, p, now, deadline));
    schedule(now);
    return p.future();
  }

  /** Called after every throttle, once the rate is lowered. */
  public void onThrottle(Runnable listener) {
    this.onThrottle = listener;
  }

  /** The provider said slow down: halve the rate and hold every call for its retry signal (1 s when it gave none). */
  public void throttled(Duration retryAfter) {
    long now = nanoClock.getAsLong();
    rate = Math.max(configuredRate * 0.01, rate / 2);
    lastThrottle = now;
    tokens = 0;
    long hold = retryAfter == null ? 1_000_000_000L : Math.max(0, retryAfter.toNanos());
    blockedUntil = Math.max(blockedUntil, now + hold);
    // Waiters whose deadline falls inside the hold cannot be served: let them go elsewhere now.
    expire(now, blockedUntil);
    reschedule(now);
    onThrottle.run();
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

  /** The configured rate times this process's share. */
  public double configuredRate() {
    return configuredRate * share;
  }

  public int waiting() {
    return waiters.size();
  }

  /** Fails every waiter (shutdown): the calls were not made. */
  public void failAll(String reason) {
    while (!waiters.isEmpty()) {
      waiters.poll().promise.tryFail(new NoCapacityException(reason));
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
      timerAt = Long.MAX_VALUE;
    }
  }

  private double burst() {
    return Math.max(1, configuredBurst * share);
  }

  /** Tokens normal and low calls must leave in the bucket: a fifth of the burst, none for a tiny bucket. */
  private double reserveFor(Priority priority) {
    return priority == Priority.HIGH ? 0 : Math.floor(burst() / 5);
  }

  private void refill(long now) {
    double add = (now - lastRefill) / 1e9 * currentRate();
    tokens = Math.min(burst(), tokens + add);
    lastRefill = now;
  }

  private void drain() {
    timer = -1;
    timerAt = Long.MAX_VALUE;
    long now = nanoClock.getAsLong();
    refill(now);
    expire(now, now);
    while (!waiters.isEmpty() && now >= blockedUntil && tokens >= 1 + reserveFor(waiters.peek().priority)) {
      tokens -= 1;
      Waiter w = waiters.poll();
      w.promise.complete(now - w.since);
    }
    reschedule(now);
  }

  /** Fails the waiters whose deadline is before {@code horizon}. */
  private void expire(long now, long horizon) {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.deadline < horizon || w.deadline <= now) {
        it.remove();
        w.promise.tryFail(new NoCapacityException("no rate-limit token within "
            + (w.deadline - w.since) / 1_000_000 + " ms"));
      }
    }
  }

  private void schedule(long now) {
    reschedule(now);
  }

  /** One timer, for the earlier of the next token and the earliest deadline. */
  private void reschedule(long now) {
    if (waiters.isEmpty()) {
      return;
    }
    double need = 1 + reserveFor(waiters.peek().priority);
    long untilToken = tokens >= need ? 0 : (long) Math.ceil((need - tokens) / currentRate() * 1e9);
    long at = now + Math.max(blockedUntil - now, untilToken);
    for (Waiter w : waiters) {
      at = Math.min(at, w.deadline);
    }
    if (timer >= 0 && timerAt <= at) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timerAt = at;
    timer = vertx.setTimer(Math.max(1, (at - now) / 1_000_000), id -> drain());
  }
}
