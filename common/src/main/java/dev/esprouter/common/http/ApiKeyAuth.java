package dev.esprouter.common.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates {@code Authorization: Bearer <api key>} and puts the {@link Tenant} on the context
 * ({@link #tenant(RoutingContext)}). Answers are cached for {@link #TTL_MS} so authentication is not a
 * database round trip per request; that TTL is also the longest a revoked key keeps working. Unknown
 * keys are cached too, in a bounded map, so a flood of random keys cannot reach the database or
 * grow the heap. One instance is shared by every route and event loop of the process.
 */
public final class ApiKeyAuth implements Handler<RoutingContext> {

  public static final long TTL_MS = 5_000;
  private static final int MAX_ENTRIES = 50_000;
  private static final String TENANT_KEY = "esp.tenant";
  private static final String LOOKUP = "select t.id, t.name, t.rate_limit_per_sec from api_keys k "
      + "join tenants t on t.id = k.tenant_id where k.key_hash = $1 and k.revoked_at is null";

  private final Pool pool;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private volatile BrowserSessions sessions;

  private record Entry(Optional<Tenant> tenant, long expiresAt) {
  }

  public ApiKeyAuth(Pool pool) {
    this.pool = pool;
  }

  /** Also accept a signed-in browser session where a request has no Authorization header. */
  public void acceptSessions(BrowserSessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    BrowserSessions browser = sessions;
    if (header == null && browser != null) {
      browser.tenant(ctx).onComplete(ar -> {
        if (ar.succeeded() && ar.result().isPresent()) {
          ctx.put(TENANT_KEY, ar.result().get());
          ctx.next();
        } else {
          ApiError.unauthorized("missing API key: send Authorization: Bearer <api key>, or sign in to the "
              + "dashboard with a tenant's key (and send its X-CSRF-Token on changes)").send(ctx);
        }
      });
      return;
    }
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      ApiError.unauthorized("missing API key: send Authorization: Bearer <api key>").send(ctx);
      return;
    }
    authenticate(header.substring(7).trim()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.response().putHeader("Retry-After", "1");
        ApiError.unavailable("cannot check the API key right now").send(ctx);
      } else if (ar.result().isEmpty()) {
        ApiError.unauthorized("unknown or revoked API key").send(ctx);
      } else {
        ctx.put(TENANT_KEY, ar.result().get());
        ctx.next();
      }
    });
  }

  /** The tenant of a key, from the cache when fresh. */
  public Future<Optional<Tenant>> authenticate(String key) {
    return authenticateHash(ApiKeys.hash(key));
  }

  /**
   * The tenant of a key known only by its SHA-256 ({@link ApiKeys#hash}), as a session keeps it: a
   * revoked key stops its sessions within {@link #TTL_MS}, like the key itself.
   */
  public Future<Optional<Tenant>> authenticateHash(byte[] hash) {
    String cacheKey = HexFormat.of().formatHex(hash);
    Entry e = cache.get(cacheKey);
    if (e != null && e.expiresAt > System.currentTimeMillis()) {
      return Future.succeededFuture(e.tenant);
    }
    return pool.preparedQuery(LOOKUP).execute(Tuple.of(Buffer.buffer(hash))).map(rows -> {
      Optional<Tenant> tenant = first(rows);
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      cache.put(cacheKey, new Entry(tenant, System.currentTimeMillis() + TTL_MS));
      return tenant;
    });
  }

  /** Forgets every cached answer (after a revocation in this process, so it takes effect at once here). */
  public void invalidateAll() {
    cache.clear();
  }

  public static Tenant tenant(RoutingContext ctx) {
    return ctx.get(TENANT_KEY);
  }

  private static Optional<Tenant> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row r = rows.iterator().next();
    return Optional.of(new Tenant(r.getString(0), r.getString(1), r.getInteger(2)));
  }
}
