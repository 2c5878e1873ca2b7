package dev.esprouter.common.status;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Map;

/**
 * Read access to what the status writer (analytics) owns — message states, timelines and batch
 * counters — for the roles that answer reads (ingress, campaigns, the dashboard). Registered in
 * {@link dev.esprouter.common.runtime.Services} in every process.
 */
public interface MessageStatusView {

  /** The states of these messages; ids without a state (not routed yet) are absent from the map. */
  Future<Map<String, MessageState>> states(List<String> messageIds);

  /** The message's timeline, oldest first: {@code [{"type","at","provider","detail"}]}. */
  Future<JsonArray> timeline(String messageId);

  /** Counts of a batch or campaign (its batch id) by status and provider. */
  Future<BatchCounts> counts(String batchId);
}
