package dev.esprouter.router.consumer;

import io.vertx.kafka.client.common.TopicPartition;
import java.util.ArrayDeque;
import java.util.TreeSet;

/**
 * What this process holds of one assigned partition: fetched records not yet routed (in offset
 * order), offsets being routed, and whether the partition is paused. Records of a partition may be
 * routed a few at a time; the offset to commit is the lowest one not yet done.
 */
final class PartitionQueue {

  final TopicPartition tp;
  final ArrayDeque<Pending> queued = new ArrayDeque<>();
  final TreeSet<Long> inFlight = new TreeSet<>();
  long fetchedUpTo = -1;
  long committed = -1;
  long lastDispatch;
  boolean paused;

  PartitionQueue(TopicPartition tp) {
    this.tp = tp;
  }

  /** The next offset to commit: nothing before it is still queued or in flight. -1 when nothing was fetched. */
  long commitPosition() {
    if (fetchedUpTo < 0) {
      return -1;
    }
    long p = fetchedUpTo + 1;
    if (!queued.isEmpty()) {
      p = Math.min(p, queued.peek().offset());
    }
    if (!inFlight.isEmpty()) {
      p = Math.min(p, inFlight.first());
    }
    return p;
  }
}
