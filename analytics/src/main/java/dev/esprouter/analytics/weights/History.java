package dev.esprouter.analytics.weights;

import java.time.Instant;

/**
 * Where a provider's memory starts after the learner restarted it: at the minute of {@code from},
 * less {@code excluded} of that minute's bucket (what it already held when the restart happened —
 * the traffic before a cut, say), so the memory holds exactly what came after. {@code reason} says
 * why: {@link #CHANGE} (the change detector found a change point) or {@link #REOPENED} (the gate
 * reopened after probes proved the rate it was cut for back under its limit).
 */
public record History(Instant from, StatCounts excluded, String reason) {

  public static final String CHANGE = "change";
  public static final String REOPENED = "reopened";

  /** From the start of {@code minute}'s bucket, nothing excluded (a change point). */
  public static History fromMinute(long epochMinute) {
    return new History(Instant.ofEpochSecond(epochMinute * 60), StatCounts.ZERO, CHANGE);
  }
}
