package dev.esprouter.common.status;

import dev.esprouter.common.Channel;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Read access to the accepted messages (ingress owns them): who sent each, on which channel, to
 * whom. The status writer asks it only for what provider events do not carry — the tenant and
 * address behind a bounce or complaint (for suppressions), and which message a Telegram event about
 * a chat belongs to. Registered in {@link dev.esprouter.common.runtime.Services} in every process.
 */
public interface MessageDirectory {

  record Entry(String id, String tenantId, String batchId, Channel channel, String recipient) {
  }

  /** The messages of these ids that exist, by id. */
  Future<Map<String, Entry>> lookup(List<String> ids);

  /** The latest Telegram message sent to each of these chats, by chat id. */
  Future<Map<String, Entry>> latestToChats(List<String> chatIds);
}
