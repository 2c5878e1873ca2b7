package dev.esprouter.common.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * A signed-in browser session (the dashboard's, kept by analytics) accepted on tenant API routes in
 * place of a Bearer key, so the dashboard's actions use the API's own handlers (for example
 * {@code POST /v1/dlq/{id}/requeue}). Registered with {@link ApiKeyAuth#acceptSessions}.
 */
public interface BrowserSessions {

  /**
   * The tenant of the request's session; empty when there is no valid session cookie, when the
   * session is an operator's (it has no tenant), or when a request other than GET/HEAD does not carry
   * the session's CSRF token in {@code X-CSRF-Token}.
   */
  Future<Optional<Tenant>> tenant(RoutingContext ctx);
}
