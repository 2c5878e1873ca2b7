package dev.esprouter.ingress;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The partition of the next single-message record: {@link #RUN} records in a row go to one
 * partition, then the next partition takes over. A single message is keyed by its own message id,
 * so hashing the key buys no ordering; it only spreads concurrent messages over every partition, so
 * each produce request carried one small compressed batch per partition, each one paid for again by
 * the broker (decompression, validation, append). Sticking to one partition makes one larger batch
 * of the same records, as Kafka's own sticky partitioner does for records without a key. Shared by
 * every event loop; the record keeps its key.
 */
final class StickyPartitions {

  /** About {@code batch.size} (256 KiB) of ~1 KiB records, like Kafka's own sticky partitioner. */
  static final int RUN = 256;

  private final AtomicLong sent = new AtomicLong();

  /** A partition in {@code [0, partitions)}, or null (key hashing) while the count is unknown. */
  Integer next(int partitions) {
    if (partitions <= 0) {
      return null;
    }
    return (int) ((sent.getAndIncrement() / RUN) % partitions);
  }
}
