package dev.esprouter.analytics.weights;

import java.time.Instant;

/**
 * Where a provider's memory starts after the learner restarted it: at the minute of {@code from},
 * less {@code excluded} of that minute's bucket (what it already held when the restart happened —
 * the traffic before a cut, say), so the memory holds exactly what came after.
 */
public record History(Instant from, StatCounts excluded) {

  /** From the start of {@code minute}'s bucket, nothing excluded (a change point). */
  public static History fromMinute(long epochMinute) {
    return new History(Instant.ofEpochSecond(epochMinute * 60), StatCounts.ZERO);
  }
}
