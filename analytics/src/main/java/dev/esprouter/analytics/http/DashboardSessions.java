package dev.esprouter.analytics.http;

import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.http.ApiKeys;
import dev.esprouter.common.http.BrowserSessions;
import dev.esprouter.common.http.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side dashboard sessions in {@code dashboard_sessions}: the browser holds a random id in an
 * {@code HttpOnly}, {@code SameSite=Strict} cookie (never a key or token), the table holds its SHA-256,
 * who signed in, a CSRF token and two expiries (idle, pushed forward on use at most once a minute; and
 * absolute). Every process of a deployment sees every session; lookups are cached for
 * {@link #CACHE_MS}, which is also how long a sign-out takes to reach the other processes. A session
 * lasts only as long as what it was opened with: a revoked key or a changed admin token ends it.
 */
public final class DashboardSessions implements BrowserSessions {

  public static final String COOKIE = "esp_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  static final long CACHE_MS = 5_000;
  private static final long TOUCH_EVERY_MS = 60_000;
  private static final int MAX_CACHED = 10_000;
  private static final Logger log = LoggerFactory.getLogger(DashboardSessions.class);

  /** One signed-in session as looked up. */
  record Session(byte[] idHash, Principal principal, String csrf, Instant expiresAt) {
  }

  private record Cached(Optional<Session> session, long until) {
  }

  private final Pool pool;
  private final ApiKeyAuth keys;
  private final byte[] adminHash;
  private final DashboardSettings settings;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public DashboardSessions(Pool pool, ApiKeyAuth keys, Optional<String> adminToken, DashboardSettings settings) {
    this.pool = pool;
    this.keys = keys;
    this.adminHash = adminToken.map(DashboardSessions::sha256).orElse(null);
    this.settings = settings;
  }

  DashboardSettings settings() {
    return settings;
  }

  /** The operator when {@code credential} is the admin token, the key's tenant when it is a live key. */
  Future<Optional<Principal>> principalOf(String credential) {
    if (credential == null || credential.isBlank()) {
      return Future.succeededFuture(Optional.empty());
    }
    if (isAdmin(sha256(credential))) {
      return Future.succeededFuture(Optional.of(Principal.OPERATOR));
    }
    return keys.authenticate(credential).map(t -> t.map(DashboardSessions::principal));
  }

  /** Opens a session for whoever {@code credential} names and sets its cookie; the CSRF token is returned. */
  Future<String> open(RoutingContext ctx, Principal principal, String credential) {
    byte[] id = new byte[32];
    random.nextBytes(id);
    String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    String csrf = token();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    byte[] credentialHash = principal.operator() ? sha256(credential) : ApiKeys.hash(credential);
    return pool.preparedQuery(DashboardSql.SESSION_INSERT).execute(Tuple.of(Buffer.buffer(sha256(cookie)),
            principal.tenantId(), Buffer.buffer(credentialHash), csrf, now.plus(settings.idle()),
            now.plus(settings.maxAge())))
        .map(rows -> {
          ctx.response().addCookie(cookie(cookie, settings.maxAge().toSeconds()));
          return csrf;
        });
  }

  /** Ends the request's session (if any) and clears its cookie. */
  Future<Void> close(RoutingContext ctx) {
    // Read before the clearing cookie is added: request and response share one cookie jar.
    Cookie c = ctx.request().getCookie(COOKIE);
    String value = c == null ? "" : c.getValue();
    ctx.response().addCookie(cookie("", 0));
    if (value.isEmpty()) {
      return Future.succeededFuture();
    }
    byte[] idHash = sha256(value);
    cache.remove(HexFormat.of().formatHex(idHash));
    return pool.preparedQuery(DashboardSql.SESSION_DELETE).execute(Tuple.of(Buffer.buffer(idHash))).mapEmpty();
  }

  /** The request's live session, if its cookie names one. */
  Future<Optional<Session>> find(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    if (c == null || c.getValue().isEmpty() || c.getValue().length() > 100) {
      return Future.succeededFuture(Optional.empty());
    }
    byte[] idHash = sha256(c.getValue());
    String key = HexFormat.of().formatHex(idHash);
    long now = System.currentTimeMillis();
    Cached hit = cache.get(key);
    if (hit != null && hit.until > now && hit.session.map(s -> s.expiresAt.toEpochMilli() > now).orElse(true)) {
      return Future.succeededFuture(hit.session);
    }
    return pool.preparedQuery(DashboardSql.SESSION_FIND).execute(Tuple.of(Buffer.buffer(idHash)))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.<Session>empty())
            : live(idHash, rows.iterator().next()))
        .compose(found -> touch(found).map(found))
        .onSuccess(found -> {
          if (cache.size() >= MAX_CACHED) {
            cache.clear();
          }
          cache.put(key, new Cached(found, System.currentTimeMillis() + CACHE_MS));
        });
  }

  /** The session of a row, if what it was opened with still holds. */
  private Future<Optional<Session>> live(byte[] idHash, Row r) {
    String tenantId = r.getString("tenant_id");
    byte[] credentialHash = r.getBuffer("credential_hash").getBytes();
    String csrf = r.getString("csrf_token");
    Instant expires = r.getOffsetDateTime("expires_at").toInstant();
    if (tenantId == null) {
      return Future.succeededFuture(isAdmin(credentialHash)
          ? Optional.of(new Session(idHash, Principal.OPERATOR, csrf, expires)) : Optional.empty());
    }
    return keys.authenticateHash(credentialHash).map(t -> t.filter(x -> x.id().equals(tenantId))
        .map(x -> new Session(idHash, principal(x), csrf, expires)));
  }

  /** Pushes the idle expiry forward, at most once a minute per session. */
  private Future<Void> touch(Optional<Session> found) {
    if (found.isEmpty()) {
      return Future.succeededFuture();
    }
    Session s = found.get();
    long left = s.expiresAt.toEpochMilli() - System.currentTimeMillis();
    if (left > settings.idle().toMillis() - TOUCH_EVERY_MS) {
      return Future.succeededFuture();
    }
    OffsetDateTime until = OffsetDateTime.now(ZoneOffset.UTC).plus(settings.idle());
    return pool.preparedQuery(DashboardSql.SESSION_TOUCH).execute(Tuple.of(Buffer.buffer(s.idHash), until))
        .<Void>mapEmpty().otherwiseEmpty();
  }

  /** True when a request other than GET/HEAD carries the session's CSRF token. */
  static boolean csrfOk(RoutingContext ctx, Session s) {
    HttpMethod m = ctx.request().method();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
      return true;
    }
    String sent = ctx.request().getHeader(CSRF_HEADER);
    if (sent == null) {
      sent = ctx.request().getFormAttribute("csrf");
    }
    return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        s.csrf.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Future<Optional<Tenant>> tenant(RoutingContext ctx) {
    return find(ctx).map(found -> found.filter(s -> !s.principal.operator() && csrfOk(ctx, s))
        .map(s -> new Tenant(s.principal.tenantId(), s.principal.name(), null)));
  }

  /** Deletes expired sessions every ten minutes. */
  public long startPruning(Vertx vertx) {
    return vertx.setPeriodic(600_000, id -> pool.query(DashboardSql.SESSION_PRUNE).execute()
        .onFailure(err -> log.warn("expired dashboard sessions not pruned: {}", err.toString())));
  }

  private Cookie cookie(String value, long maxAgeSeconds) {
    return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(settings.secureCookie()).setMaxAge(maxAgeSeconds);
  }

  private boolean isAdmin(byte[] hash) {
    return adminHash != null && MessageDigest.isEqual(adminHash, hash);
  }

  private String token() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static Principal principal(Tenant t) {
    return new Principal(t.id(), t.name());
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
