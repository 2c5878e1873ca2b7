package dev.esprouter.common.routing;

import java.time.Instant;
import java.util.Optional;

/**
 * What the router knows when it asks for the weights of one chunk (or of one domain group's part of
 * it): the batch and the chunk's index in it (null batch for a single message), and the recipients'
 * {@link DomainGroup}. {@code previousChunkSentAt} is the old "since the previous chunk" input, kept
 * while the learner still uses it.
 */
public record WeightQuery(String batchId, int chunkIndex, DomainGroup group, Optional<Instant> previousChunkSentAt) {

  public static final WeightQuery FRESH = new WeightQuery(null, 0, DomainGroup.OTHER, Optional.empty());

  public static WeightQuery of(String batchId, int chunkIndex, DomainGroup group) {
    return new WeightQuery(batchId, chunkIndex, group, Optional.empty());
  }

  public static WeightQuery laterChunk(String batchId, Instant previousChunkSentAt) {
    return new WeightQuery(batchId, 1, DomainGroup.OTHER, Optional.of(previousChunkSentAt));
  }

  /** The same query for another domain group. */
  public WeightQuery forGroup(DomainGroup g) {
    return new WeightQuery(batchId, chunkIndex, g, previousChunkSentAt);
  }

  public Optional<String> batch() {
    return Optional.ofNullable(batchId);
  }
}
