package dev.esprouter.ingress;

import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.SharedServiceProvider;
import dev.esprouter.common.status.MessageDirectory;

/** What ingress offers other roles in every process: the directory of accepted messages. */
public final class IngressServices implements SharedServiceProvider {

  @Override
  public void register(RoleContext ctx) {
    ctx.services().register(MessageDirectory.class, new AcceptedMessages(ctx.pool()));
  }
}
