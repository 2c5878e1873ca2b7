package dev.esprouter.analytics.http;

import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.SharedServiceProvider;

/**
 * Registers the dashboard's {@link DashboardSessions} in every process, whether or not it runs the
 * analytics role: behind a load balancer the page's calls to other roles' routes (the router's
 * {@code /v1/dlq}) may land on a process without analytics, and must take the session there too.
 */
public final class DashboardSessionsProvider implements SharedServiceProvider {

  @Override
  public void register(RoleContext ctx) {
    ApiKeyAuth auth = ctx.services().find(ApiKeyAuth.class).orElse(null);
    if (auth == null) {
      return;
    }
    DashboardSessions sessions = new DashboardSessions(ctx.pool(), auth, ctx.config().adminToken(),
        DashboardSettings.from(ctx.config().reader()));
    auth.acceptSessions(sessions);
    ctx.services().register(DashboardSessions.class, sessions);
  }
}
