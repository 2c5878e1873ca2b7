package dev.esprouter.common.status;

import java.util.Map;

/**
 * Recipients of one batch (or campaign) per status and per provider, from counters the status writer
 * keeps as statuses move, so reading them costs the same for ten recipients as for two million.
 * Recipients not yet reported on by the router are not counted: {@code queued = total - counted()}.
 */
public record BatchCounts(Map<String, Long> byStatus, Map<String, Long> byProvider) {

  public long of(String status) {
    return byStatus.getOrDefault(status, 0L);
  }

  /** Recipients with any status the status writer has recorded. */
  public long counted() {
    return byStatus.values().stream().mapToLong(Long::longValue).sum();
  }
}
