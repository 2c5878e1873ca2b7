package dev.esprouter.common.routing;

import java.time.Instant;
import java.util.Optional;

/**
 * What the router knows when it asks for weights: for a later chunk of a batch, the batch and when
 * its previous chunk went out (DESIGN.md § Weights: fresh stats since then, blended with 30 days).
 * For a single send or a first chunk both are empty.
 */
public record WeightQuery(Optional<String> batchId, Optional<Instant> previousChunkSentAt) {

  public static final WeightQuery FRESH = new WeightQuery(Optional.empty(), Optional.empty());

  public static WeightQuery laterChunk(String batchId, Instant previousChunkSentAt) {
    return new WeightQuery(Optional.of(batchId), Optional.of(previousChunkSentAt));
  }
}
