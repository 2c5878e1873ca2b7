package dev.esprouter.router.provider;

import dev.esprouter.common.Priority;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
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
 * <p>A caller that has somewhere else to go ({@code elsewhere}: no pin, another usable provider of the
 * channel) is not kept waiting for what it can already see will not come: while the provider holds
 * us off (its retry signal) it is refused at once, a throttle releases it at once, and a wait that
 * the current rate cannot end before its deadline (the waiters ahead of it, the reserve and the
 * tokens in the bucket, at today's rate) is refused at once rather than at the deadline. Measured
 * with one provider throttled, waiting out the deadline first is what held the bulk drain back.
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
    final boolean elsewhere;

    Waiter(Priority priority, long seq, Promise<Long> promise, long since, long deadline, boolean elsewhere) {
      this.priority = priority;
      this.seq = seq;
      this.promise = promise;
      this.since = since;
      this.deadline = deadline;
      this.elsewhere = elsewhere;
    }
  }

  private final Vertx vertx;
  private final LongSupplier nanoClock;
  private final double configuredRate;
  private final double configuredBurst;
  private final int maxWaiters;
  private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> a.priority != b.priority
      ? Integer.compare(a.priority.ordinal(), b.priority.ordinal()) : Long.compare(a.seq, b.seq));
  /** Waiters per priority, so the queue ahead of a new waiter is known without walking the queue. */
  private final int[] waitingByPriority = new int[Priority.values().length];
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
    return acquire(priority, maxWaitNanos, false);
  }

  /**
   * As {@link #acquire(Priority, long)}; with {@code elsewhere} (another provider could take the
   * call) it is also refused at once while the provider holds us off, when a throttle comes while it
   * waits, and when the current rate cannot give it a token before its deadline.
   */
  public Future<Long> acquire(Priority priority, long maxWaitNanos, boolean elsewhere) {
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
    if (elsewhere && blockedUntil > now) {
      return Future.failedFuture(new NoCapacityException("held off by the provider for another "
          + (blockedUntil - now) / 1_000_000 + " ms"));
    }
    if (elsewhere && deadline != Long.MAX_VALUE && now + projectedWait(priority, now) > deadline) {
      return Future.failedFuture(new NoCapacityException(String.format(Locale.ROOT,
          "%.1f calls/s cannot serve it within %d ms", currentRate(), maxWaitNanos / 1_000_000)));
    }
    if (waiters.size() >= maxWaiters) {
      return Future.failedFuture(new NoCapacityException(maxWaiters + " calls already waiting for the rate limit"));
    }
    Promise<Long> p = Promise.promise();
    waiters.add(new Waiter(priority, seq++, p, now, deadline, elsewhere));
    waitingByPriority[priority.ordinal()]++;
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
    // Waiters whose deadline falls inside the hold cannot be served, and those with another provider
    // to go to should not sit out the hold: let them go now.
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.elsewhere || w.deadline < blockedUntil) {
        it.remove();
        waitingByPriority[w.priority.ordinal()]--;
        w.promise.tryFail(new NoCapacityException("throttled by the provider while waiting "
            + (now - w.since) / 1_000_000 + " ms"));
      }
    }
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
      Waiter w = waiters.poll();
      waitingByPriority[w.priority.ordinal()]--;
      w.promise.tryFail(new NoCapacityException(reason));
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

  /**
   * Nanoseconds until a new waiter of {@code priority} would get its token at the current rate: the
   * waiters served before it (same or higher priority), the reserve it must leave, less the tokens
   * in the bucket; and no sooner than the provider's hold ends.
   */
  private long projectedWait(Priority priority, long now) {
    int ahead = 0;
    for (int i = 0; i <= priority.ordinal(); i++) {
      ahead += waitingByPriority[i];
    }
    double missing = ahead + 1 + reserveFor(priority) - tokens;
    long untilTokens = missing <= 0 ? 0 : (long) Math.ceil(missing / currentRate() * 1e9);
    return Math.max(untilTokens, blockedUntil - now);
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
      waitingByPriority[w.priority.ordinal()]--;
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
        waitingByPriority[w.priority.ordinal()]--;
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
