package dev.esprouter.router.provider;

import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.providers.send.CallResult;
import dev.esprouter.providers.send.ProviderCall;
import dev.esprouter.providers.send.ProviderResponse;
import dev.esprouter.providers.send.RecipientOutcome;
import dev.esprouter.providers.send.SendDialect;
import dev.esprouter.providers.send.SendOutcome;
import dev.esprouter.router.RouterMetrics;
import dev.esprouter.router.RouterSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.EnumMap;

/**
 * One provider's I/O, in two steps so that the router can write a call's intent to its ledger
 * between them: {@link #reserve} takes a rate-limit token (and, for Telegram, the chat's slot) and
 * one of the provider's in-flight slots, failing at once — {@link ProviderRateLimiter.NoCapacityException}
 * — when the breaker is open, the slots are taken by calls that hang, or no token comes within the
 * lane's deadline; {@link #call} then sends through the circuit breaker with a first-byte and a total
 * timeout and classifies the answer with the provider's dialect. A call never fails: no answer, or
 * a breaker that refused it, is a transient outcome for its recipients. Confined to the router's
 * event loop.
 */
public final class ProviderClient {

  /** A reserved slot for one call: give it to {@link #call} or back with {@link #release}. */
  public static final class Permit {
    private boolean open = true;
    final long waitedNanos;

    Permit(long waitedNanos) {
      this.waitedNanos = waitedNanos;
    }
  }

  /** A call's answer, and whether the request was made at all (false: the breaker refused it). */
  public record Answer(CallResult result, boolean made) {
  }

  private final Vertx vertx;
  private final ProviderName name;
  private final SendDialect dialect;
  private final String baseUrl;
  private final WebClient client;
  private final ProviderRateLimiter limiter;
  private final ProviderBreaker breaker;
  private final ChatPacer pacer;
  private final RouterMetrics metrics;
  private final RouterSettings settings;
  private final int maxInFlight;
  private int inFlight;

  public ProviderClient(Vertx vertx, ProviderSettings ps, SendDialect dialect, RouterSettings rs,
                        ProviderRateLimiter limiter, ProviderBreaker breaker, RouterMetrics metrics) {
    this.vertx = vertx;
    this.name = ps.name();
    this.dialect = dialect;
    this.baseUrl = ps.baseUrl();
    this.limiter = limiter;
    this.breaker = breaker;
    this.metrics = metrics;
    this.settings = rs;
    this.pacer = name == ProviderName.TELEGRAM ? new ChatPacer(vertx, 1000, System::nanoTime) : null;
    int pool = poolSize(ps.ratePerSec(), rs);
    this.maxInFlight = rs.providerMaxInFlight() > 0 ? rs.providerMaxInFlight() : 2 * pool;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) rs.connectTimeoutMs())
        .setUserAgent("esp-router"), new PoolOptions().setHttp1MaxSize(pool));
  }

  /**
   * Little's law: calls in flight = rate × latency. Twice the expected latency leaves room for the
   * slow tail; at least 4 so a low rate still overlaps calls.
   */
  static int poolSize(double ratePerSec, RouterSettings rs) {
    return (int) Math.max(4, Math.min(1000, Math.ceil(ratePerSec * rs.expectedLatencyMs() * 2 / 1000.0)));
  }

  public ProviderName name() {
    return name;
  }

  public SendDialect dialect() {
    return dialect;
  }

  public ProviderRateLimiter limiter() {
    return limiter;
  }

  public int inFlight() {
    return inFlight;
  }

  /** True when a share may be given to this provider now (its breaker is not open). */
  public boolean available() {
    return breaker.allows();
  }

  /**
   * A slot for {@code call}: its chat's turn (Telegram), an in-flight slot and a rate-limit token
   * within the lane's deadline. Fails with {@link ProviderRateLimiter.NoCapacityException} when
   * none can be had in time; nothing is held then.
   */
  public Future<Permit> reserve(Priority lane, ProviderCall call) {
    return reserve(lane, call, false);
  }

  /**
   * As {@link #reserve(Priority, ProviderCall)}; {@code elsewhere} says another provider could take
   * the call, so the limiter refuses at once a wait it can see will not end in time
   * ({@link ProviderRateLimiter#acquire(Priority, long, boolean)}).
   */
  public Future<Permit> reserve(Priority lane, ProviderCall call, boolean elsewhere) {
    if (!breaker.allows()) {
      return Future.failedFuture(new ProviderRateLimiter.NoCapacityException(name.wire() + " circuit breaker is open"));
    }
    if (inFlight >= maxInFlight) {
      metrics.capacityRefused(name, "in_flight");
      return Future.failedFuture(new ProviderRateLimiter.NoCapacityException(name.wire() + " has " + inFlight
          + " calls in flight (its limit)"));
    }
    inFlight++;
    Future<Void> paced = pacer == null ? Future.succeededFuture() : pacer.reserve(call.recipients().get(0).to());
    return paced.compose(v -> limiter.acquire(lane, settings.limiterWaitNanos(lane), elsewhere))
        .transform(ar -> {
          if (ar.failed()) {
            inFlight--;
            metrics.capacityRefused(name, "rate_limit");
            return Future.failedFuture(ar.cause());
          }
          metrics.limiterWait(name, ar.result());
          return Future.succeededFuture(new Permit(ar.result()));
        });
  }

  /** Gives back a permit that will not be used (its call is not made). */
  public void release(Permit p) {
    if (p.open) {
      p.open = false;
      inFlight--;
    }
  }

  /** Makes the call on a reserved permit; the permit is spent. */
  public Future<Answer> call(Permit permit, ProviderCall c) {
    boolean[] made = {false};
    long start = System.nanoTime();
    return breaker.execute(() -> {
          made[0] = true;
          return http(c);
        }, r -> r.call().providerFault())
        .map(r -> new Answer(observe(r, System.nanoTime() - start), true))
        .otherwise(err -> new Answer(CallResult.all(c.recipients(), SendOutcome.TRANSIENT, null,
            name.wire() + " circuit breaker is open"), made[0]))
        .onComplete(ar -> release(permit));
  }

  private CallResult observe(CallResult r, long nanos) {
    metrics.request(name, r.call(), nanos);
    EnumMap<SendOutcome, Integer> counts = new EnumMap<>(SendOutcome.class);
    for (RecipientOutcome o : r.recipients()) {
      counts.merge(o.outcome(), 1, Integer::sum);
    }
    counts.forEach((outcome, n) -> metrics.recipients(name, outcome, n));
    if (r.call() == SendOutcome.THROTTLED || counts.containsKey(SendOutcome.THROTTLED)) {
      limiter.throttled(r.retryAfter());
    }
    return r;
  }

  /**
   * The request, failed when no byte of the answer came within the first-byte timeout (a hung
   * provider) or the whole answer took longer than the request timeout.
   */
  private Future<CallResult> http(ProviderCall c) {
    HttpRequest<Buffer> req = client.postAbs(baseUrl + c.path()).idleTimeout(settings.firstByteTimeoutMs());
    c.headers().forEach(req::putHeader);
    Promise<CallResult> result = Promise.promise();
    long timer = vertx.setTimer(settings.requestTimeoutMs(), id -> result.tryComplete(CallResult.noAnswer(c.recipients(),
        new java.util.concurrent.TimeoutException("no complete answer within " + settings.requestTimeoutMs() + " ms"))));
    req.sendBuffer(c.body())
        .map(resp -> dialect.classify(c, new ProviderResponse(resp.statusCode(), resp.headers(),
            resp.body() == null ? Buffer.buffer() : resp.body())))
        .otherwise(err -> CallResult.noAnswer(c.recipients(), err))
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          result.tryComplete(ar.result());
        });
    return result.future();
  }

  /** Fails the calls waiting for a token (shutdown); calls in flight finish on their own. */
  public void stopWaiting() {
    limiter.failAll("the router is stopping");
  }

  public void close() {
    breaker.close();
    client.close();
  }
}
