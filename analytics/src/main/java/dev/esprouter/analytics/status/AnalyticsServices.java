package dev.esprouter.analytics.status;

import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.SharedServiceProvider;
import dev.esprouter.common.status.MessageStatusView;

/** What analytics offers other roles in every process: reads of the statuses it writes. */
public final class AnalyticsServices implements SharedServiceProvider {

  @Override
  public void register(RoleContext ctx) {
    ctx.services().register(MessageStatusView.class, new StatusView(ctx.pool()));
  }
}
