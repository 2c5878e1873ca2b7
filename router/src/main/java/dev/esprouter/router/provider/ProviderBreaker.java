package dev.esprouter.router.provider;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.router.RouterSettings;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's circuit breaker: vertx-circuit-breaker keeps the state machine (open → half-open
 * after the reset timeout → one probe → closed or open again), while the decision to open is a
 * failure <em>rate</em> over a sliding window ({@link FailureRateWindow}), because vertx's own count
 * resets on every success and so never trips at high volume with mixed results. Only provider-side
 * failures count (5xx, timeouts, connection errors, configuration errors), never a bad recipient or
 * a throttle. Every state change is written to {@link ProviderHealth}, which the weights read.
 */
public final class ProviderBreaker {

  private static final Logger log = LoggerFactory.getLogger(ProviderBreaker.class);

  private final CircuitBreaker breaker;
  private final FailureRateWindow window;
  private final double threshold;
  private final int minCalls;
  private final int consecutiveToOpen;
  private int consecutive;

  public ProviderBreaker(Vertx vertx, ProviderName provider, RouterSettings s, ProviderHealth health,
                         LongSupplier nanoClock) {
    this.window = new FailureRateWindow(s.breakerWindowMs(), nanoClock);
    this.threshold = s.breakerFailureRate();
    this.minCalls = s.breakerMinCalls();
    this.consecutiveToOpen = s.breakerConsecutiveFailures();
    this.breaker = CircuitBreaker.create("esp-provider-" + provider.wire(), vertx, new CircuitBreakerOptions()
            .setMaxFailures(Integer.MAX_VALUE)
            .setTimeout(-1) // the WebClient has explicit connect and request timeouts
            .setMaxRetries(0) // failover and send.retry do the retrying
            .setResetTimeout(s.breakerResetMs())
            .setNotificationAddress(null))
        .openHandler(v -> {
          health.breaker(provider, ProviderHealth.Breaker.OPEN);
          log.warn("circuit breaker of {} is now open (failure rate {} over {} calls)", provider.wire(),
              String.format("%.2f", window.failureRate()), window.calls());
        })
        .halfOpenHandler(v -> {
          health.breaker(provider, ProviderHealth.Breaker.HALF_OPEN);
          log.info("circuit breaker of {} is now half-open", provider.wire());
        })
        .closeHandler(v -> {
          window.clear();
          consecutive = 0;
          health.breaker(provider, ProviderHealth.Breaker.CLOSED);
          log.info("circuit breaker of {} is now closed", provider.wire());
        });
    health.breaker(provider, ProviderHealth.Breaker.CLOSED);
  }

  /**
   * Runs {@code call} through the breaker. The returned future fails only with
   * {@link OpenCircuitException} (no call was made); otherwise it carries the call's result, and
   * {@code isFault} decides whether that result counts as a provider failure.
   */
  public <T> Future<T> execute(Supplier<Future<T>> call, Predicate<T> isFault) {
    boolean probe = breaker.state() == CircuitBreakerState.HALF_OPEN;
    return breaker.<T>execute(() -> call.get().compose(r -> isFault.test(r)
            ? Future.failedFuture(new ProviderFault(r)) : Future.succeededFuture(r)))
        .transform(ar -> {
          if (ar.failed() && ar.cause() instanceof OpenCircuitException) {
            return Future.failedFuture(ar.cause());
          }
          boolean fault = ar.failed();
          window.record(fault);
          consecutive = fault ? consecutive + 1 : 0;
          // A provider failing every call opens the breaker even below the window's minimum of calls:
          // a hung or dead provider seen at a low rate must not be retried forever.
          if (fault && (probe || consecutive >= consecutiveToOpen
              || (window.calls() >= minCalls && window.failureRate() >= threshold))
              && breaker.state() != CircuitBreakerState.OPEN) {
            breaker.open();
          }
          if (ar.failed() && ar.cause() instanceof ProviderFault f) {
            @SuppressWarnings("unchecked")
            T result = (T) f.result;
            return Future.succeededFuture(result);
          }
          return ar.failed() ? Future.failedFuture(ar.cause()) : Future.succeededFuture(ar.result());
        });
  }

  /** False while the breaker is open: a call now would be refused without being made. */
  public boolean allows() {
    return breaker.state() != CircuitBreakerState.OPEN;
  }

  public void close() {
    breaker.close();
  }

  /** Carries a faulty result through the breaker so it counts as a failure without losing the result. */
  private static final class ProviderFault extends RuntimeException {
    private final transient Object result;

    ProviderFault(Object result) {
      super(null, null, false, false);
      this.result = result;
    }
  }
}
