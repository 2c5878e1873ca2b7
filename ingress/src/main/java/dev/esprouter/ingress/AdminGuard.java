package dev.esprouter.ingress;

import dev.esprouter.common.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code Authorization: Bearer $ESP_ADMIN_TOKEN} in front of an admin route, compared in constant time;
 * anything else is a 401. Public because other roles mount admin routes of their own (the campaigns
 * role's approval), which must be guarded in a process that runs them without ingress.
 */
public final class AdminGuard {

  private AdminGuard() {
  }

  public static Handler<RoutingContext> of(String token) {
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return ctx -> {
      String h = ctx.request().getHeader("Authorization");
      byte[] given = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
          ? h.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
      if (MessageDigest.isEqual(given, expected)) {
        ctx.next();
      } else {
        ApiError.unauthorized("admin routes need Authorization: Bearer <ESP_ADMIN_TOKEN>").send(ctx);
      }
    };
  }
}
