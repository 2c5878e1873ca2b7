package dev.esprouter.router.provider;

import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
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
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * One provider's I/O: each call of its dialect goes through the rate limiter (and, for Telegram,
 * the per-chat pacer), then the circuit breaker, then a keep-alive WebClient with explicit connect
 * and request timeouts; the answer is classified by the dialect. Never fails: a call that got no
 * answer, or that the open breaker refused, is a transient outcome for its recipients, which the
 * router then fails over. Confined to the router's event loop.
 */
public final class ProviderClient {

  private final ProviderName name;
  private final SendDialect dialect;
  private final String baseUrl;
  private final WebClient client;
  private final ProviderRateLimiter limiter;
  private final ProviderBreaker breaker;
  private final ChatPacer pacer;
  private final RouterMetrics metrics;
  private final long requestTimeoutMs;

  public ProviderClient(Vertx vertx, ProviderSettings settings, SendDialect dialect, RouterSettings rs,
                        ProviderRateLimiter limiter, ProviderBreaker breaker, RouterMetrics metrics) {
    this.name = settings.name();
    this.dialect = dialect;
    this.baseUrl = settings.baseUrl();
    this.limiter = limiter;
    this.breaker = breaker;
    this.metrics = metrics;
    this.requestTimeoutMs = rs.requestTimeoutMs();
    this.pacer = name == ProviderName.TELEGRAM ? new ChatPacer(vertx, 1000, System::nanoTime) : null;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) rs.connectTimeoutMs())
        .setUserAgent("esp-router"), new PoolOptions().setHttp1MaxSize(poolSize(settings.ratePerSec(), rs)));
  }

  /**
   * Little's law: calls in flight = rate × latency. Twice the expected latency leaves room for the
   * slow tail; at least 4 so a low rate still overlaps calls.
   */
  static int poolSize(double ratePerSec, RouterSettings rs) {
    return (int) Math.max(4, Math.min(1000, Math.ceil(ratePerSec * rs.expectedLatencyMs() * 2 / 1000.0)));
  }

  public ProviderRateLimiter limiter() {
    return limiter;
  }

  /** Sends the chunk's content to {@code recipients}; one outcome per recipient, in any order. */
  public Future<List<RecipientOutcome>> send(SendChunk chunk, List<Recipient> recipients) {
    List<ProviderCall> calls = dialect.calls(chunk, recipients);
    List<Future<CallResult>> results = new ArrayList<>(calls.size());
    for (ProviderCall c : calls) {
      results.add(call(chunk.priority(), c));
    }
    return Future.join(results).transform(ar -> {
      List<RecipientOutcome> out = new ArrayList<>(recipients.size());
      for (Future<CallResult> f : results) {
        out.addAll(f.result().recipients());
      }
      return Future.succeededFuture(out);
    });
  }

  private Future<CallResult> call(Priority priority, ProviderCall c) {
    Future<Void> paced = pacer == null ? Future.succeededFuture() : pacer.reserve(c.recipients().get(0).to());
    return paced.compose(v -> limiter.acquire(priority)).compose(waited -> {
      metrics.limiterWait(name, waited);
      long start = System.nanoTime();
      return breaker.execute(() -> http(c), r -> r.call().providerFault())
          .map(r -> observe(r, System.nanoTime() - start))
          .otherwise(err -> CallResult.all(c.recipients(), SendOutcome.TRANSIENT, null,
              name.wire() + " circuit breaker is open"));
    });
  }

  private CallResult observe(CallResult r, long nanos) {
    metrics.request(name, r.call(), nanos);
    java.util.EnumMap<SendOutcome, Integer> counts = new java.util.EnumMap<>(SendOutcome.class);
    for (RecipientOutcome o : r.recipients()) {
      counts.merge(o.outcome(), 1, Integer::sum);
    }
    counts.forEach((outcome, n) -> metrics.recipients(name, outcome, n));
    if (r.call() == SendOutcome.THROTTLED || counts.containsKey(SendOutcome.THROTTLED)) {
      limiter.throttled(r.retryAfter());
    }
    return r;
  }

  private Future<CallResult> http(ProviderCall c) {
    HttpRequest<Buffer> req = client.postAbs(baseUrl + c.path()).timeout(requestTimeoutMs);
    c.headers().forEach(req::putHeader);
    return req.sendBuffer(c.body())
        .map(resp -> dialect.classify(c, new ProviderResponse(resp.statusCode(), resp.headers(),
            resp.body() == null ? Buffer.buffer() : resp.body())))
        .otherwise(err -> CallResult.noAnswer(c.recipients(), err));
  }

  public void close() {
    breaker.close();
    client.close();
  }
}
