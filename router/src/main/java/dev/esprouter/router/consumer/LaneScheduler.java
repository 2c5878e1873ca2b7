package dev.esprouter.router.consumer;

import dev.esprouter.common.Priority;
import io.vertx.kafka.client.common.TopicPartition;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chooses which fetched chunk to route next. Lanes are served by stride scheduling in the
 * proportion 5:3:1 (high:normal:low) while each has work, so low is slowed, never starved, and a
 * lane that was idle does not bank credit. Within a lane, the tenant served the fewest recipients
 * so far goes first, so one tenant's campaign cannot hold back another tenant's mail; ties go to the
 * partition served longest ago. Retry records join the lane of their own priority. Pure logic,
 * confined to the consumer's event loop.
 */
final class LaneScheduler {

  private static final int MAX_TENANTS = 10_000;

  private final Map<TopicPartition, PartitionQueue> partitions = new LinkedHashMap<>();
  private final Map<String, Long> served = new HashMap<>();
  private final double[] pass = new double[Priority.values().length];
  private final int partitionLimit;
  private double virtualTime;
  private long dispatchSeq;

  LaneScheduler(int partitionLimit) {
    this.partitionLimit = partitionLimit;
  }

  PartitionQueue partition(TopicPartition tp) {
    return partitions.get(tp);
  }

  PartitionQueue add(TopicPartition tp) {
    return partitions.computeIfAbsent(tp, PartitionQueue::new);
  }

  PartitionQueue remove(TopicPartition tp) {
    return partitions.remove(tp);
  }

  Collection<PartitionQueue> all() {
    return partitions.values();
  }

  /** The next chunk to route now, moved from its partition's queue to its in-flight set; null when none is ready. */
  Pending next(Instant now) {
    return next(now, false);
  }

  /**
   * As {@link #next(Instant)}; with {@code highOnly} only the high lane is considered (the slots
   * left are the ones reserved for it), and the other lanes keep their place in the 5:3:1 order.
   */
  Pending next(Instant now, boolean highOnly) {
    Priority lane = null;
    double best = Double.MAX_VALUE;
    for (Priority p : Priority.values()) {
      if ((!highOnly || p == Priority.HIGH) && hasReady(p, now)) {
        double start = Math.max(pass[p.ordinal()], virtualTime);
        if (start < best) {
          best = start;
          lane = p;
        }
      }
    }
    if (lane == null) {
      return null;
    }
    virtualTime = best;
    pass[lane.ordinal()] = best + 1.0 / lane.share();
    PartitionQueue chosen = fairest(lane, now);
    Pending next = chosen.queued.poll();
    chosen.inFlight.add(next.offset());
    chosen.lastDispatch = ++dispatchSeq;
    if (served.size() > MAX_TENANTS) {
      served.clear();
    }
    served.merge(next.tenant(), (long) next.chunk().recipients().size(), Long::sum);
    return next;
  }

  /** The earliest due time of a head record that waits only for its time, or null. */
  Instant nextDue(Instant now) {
    Instant min = null;
    for (PartitionQueue q : partitions.values()) {
      Pending head = q.queued.peek();
      if (head != null && q.inFlight.size() < partitionLimit && !head.dueBy(now)
          && (min == null || head.due().isBefore(min))) {
        min = head.due();
      }
    }
    return min;
  }

  private boolean ready(PartitionQueue q, Instant now) {
    Pending head = q.queued.peek();
    return head != null && q.inFlight.size() < partitionLimit && head.dueBy(now);
  }

  private boolean hasReady(Priority lane, Instant now) {
    for (PartitionQueue q : partitions.values()) {
      if (ready(q, now) && q.queued.peek().lane() == lane) {
        return true;
      }
    }
    return false;
  }

  private PartitionQueue fairest(Priority lane, Instant now) {
    long floor = Long.MAX_VALUE;
    for (PartitionQueue q : partitions.values()) {
      if (ready(q, now) && q.queued.peek().lane() == lane) {
        floor = Math.min(floor, served.getOrDefault(q.queued.peek().tenant(), Long.MAX_VALUE));
      }
    }
    PartitionQueue chosen = null;
    long chosenServed = Long.MAX_VALUE;
    for (PartitionQueue q : partitions.values()) {
      if (!ready(q, now) || q.queued.peek().lane() != lane) {
        continue;
      }
      // A tenant not seen yet starts level with the least-served one instead of jumping the queue forever.
      long s = served.getOrDefault(q.queued.peek().tenant(), floor == Long.MAX_VALUE ? 0 : floor);
      if (chosen == null || s < chosenServed || (s == chosenServed && q.lastDispatch < chosen.lastDispatch)) {
        chosen = q;
        chosenServed = s;
      }
    }
    return chosen;
  }
}
