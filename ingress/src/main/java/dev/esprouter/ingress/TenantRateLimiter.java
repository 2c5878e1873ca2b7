package dev.esprouter.ingress;

import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.http.Tenant;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's own request rate: a token bucket per tenant (rate from {@code tenants.rate_limit_per_sec},
 * else the configured default; burst of one second's worth), in memory, shared by every event loop
 * of the process. Over the rate, 429 with {@code Retry-After}. In a scaled-out deployment each
 * process enforces the rate on its own share of the traffic.
 */
final class TenantRateLimiter implements Handler<RoutingContext> {

  private static final int MAX_TENANTS = 100_000;

  private final int defaultPerSec;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  TenantRateLimiter(int defaultPerSec) {
    this.defaultPerSec = defaultPerSec;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Tenant t = ApiKeyAuth.tenant(ctx);
    long waitMs = tryAcquire(t, System.nanoTime());
    if (waitMs == 0) {
      ctx.next();
      return;
    }
    int seconds = (int) Math.max(1, (waitMs + 999) / 1000);
    ctx.response().putHeader("Retry-After", Integer.toString(seconds));
    new ApiError(429, "rate_limited", "tenant " + t.name() + " is over its rate of " + rate(t)
        + " requests per second; retry after " + seconds + " s").send(ctx);
  }

  /** 0 when a token was taken, else the milliseconds until one is due. */
  long tryAcquire(Tenant t, long nowNanos) {
    int rate = rate(t);
    if (buckets.size() > MAX_TENANTS) {
      buckets.clear();
    }
    Bucket b = buckets.computeIfAbsent(t.id(), id -> new Bucket(rate, nowNanos));
    return b.take(rate, nowNanos);
  }

  private int rate(Tenant t) {
    Integer own = t.rateLimitPerSec();
    return own != null && own > 0 ? own : defaultPerSec;
  }

  /** Tokens refill continuously at {@code rate} per second up to {@code rate} (one second of burst). */
  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(int rate, long now) {
      this.tokens = rate;
      this.last = now;
    }

    synchronized long take(int rate, long now) {
      double elapsed = Math.max(0, now - last) / 1e9;
      last = now;
      tokens = Math.min(rate, tokens + elapsed * rate);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / rate * 1000);
    }
  }
}
