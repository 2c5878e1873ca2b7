package dev.esprouter.analytics.http;

import dev.esprouter.common.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Authentication of the analytics read routes ({@code /v1/stats/*}, {@code /v1/providers},
 * {@code /v1/routing/explain}): {@code Authorization: Bearer} with a tenant's API key or the admin
 * token, or the dashboard's session cookie (then a request other than GET/HEAD must carry the
 * session's {@code X-CSRF-Token}). Puts the {@link Principal} on the context.
 */
public final class DashboardAuth implements Handler<RoutingContext> {

  private static final String PRINCIPAL = "esp.principal";

  private final DashboardSessions sessions;

  public DashboardAuth(DashboardSessions sessions) {
    this.sessions = sessions;
  }

  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null) {
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
        ApiError.unauthorized("send Authorization: Bearer <api key or admin token>").send(ctx);
        return;
      }
      sessions.principalOf(header.substring(7).trim()).onComplete(ar -> {
        if (ar.failed()) {
          ctx.response().putHeader("Retry-After", "1");
          ApiError.unavailable("cannot check the API key right now").send(ctx);
        } else {
          proceed(ctx, ar.result(), "unknown or revoked API key");
        }
      });
      return;
    }
    sessions.find(ctx).onComplete(ar -> {
      if (ar.failed()) {
        ctx.response().putHeader("Retry-After", "1");
        ApiError.unavailable("cannot check the session right now").send(ctx);
      } else if (ar.result().isPresent() && !DashboardSessions.csrfOk(ctx, ar.result().get())) {
        new ApiError(403, "csrf_token_invalid", "this change needs the session's " + DashboardSessions.CSRF_HEADER
            + " header").send(ctx);
      } else {
        proceed(ctx, ar.result().map(DashboardSessions.Session::principal),
            "missing API key: send Authorization: Bearer <api key>, or sign in at /login");
      }
    });
  }

  private static void proceed(RoutingContext ctx, Optional<Principal> principal, String otherwise) {
    if (principal.isEmpty()) {
      ApiError.unauthorized(otherwise).send(ctx);
      return;
    }
    ctx.put(PRINCIPAL, principal.get());
    ctx.next();
  }
}
