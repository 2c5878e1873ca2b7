package dev.esprouter.analytics.weights;

import dev.esprouter.common.ProviderName;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What the learner remembers of one provider at one instant: the counters decayed with the slow
 * half-life (the baseline, days) and with the fast one (the reactive part, minutes), both counted
 * from {@code historyFrom} — the last change point the {@link ChangeDetector} found, or the whole
 * window when there was none — and the change found now, if any (then both memories already start
 * at it). Opens are remembered apart ({@code engagement}, with their own half-life, and its
 * slow-decayed {@code engagementBaseline}, both over the whole window, never restarted): they arrive
 * minutes to hours after the send, so a memory restarted at a block would see deliveries without
 * their opens, and a short one would mistake a traffic shift for an open-rate change.
 */
public record ProviderMemory(DecayedCounts slow, DecayedCounts fast, History history,
                             ChangeDetector.Change change, DecayedCounts engagement, DecayedCounts engagementBaseline) {

  /**
   * The memory of {@code p} in snapshot {@code s} at {@code now}. O(recent buckets of p).
   *
   * @param history null for the whole window, else where the memory starts; a provider restarted
   *                once never takes back the older totals (only the recent buckets)
   */
  public static ProviderMemory of(StatsSnapshot s, ProviderName p, Instant now, History history,
                                  WeightParameters params) {
    ProviderMemory m = build(s, p, now, history, params, true);
    return m.change == null ? m : build(s, p, now, History.fromMinute(m.change.epochMinute()), params, false)
        .withChange(m.change);
  }

  private ProviderMemory withChange(ChangeDetector.Change c) {
    return new ProviderMemory(slow, fast, history, c, engagement, engagementBaseline);
  }

  /** Where the memory starts (null: the whole window). */
  public Instant historyFrom() {
    return history == null ? null : history.from();
  }

  private static ProviderMemory build(StatsSnapshot s, ProviderName p, Instant now, History history,
                                      WeightParameters params, boolean detect) {
    long[] minutes = s.minutes(p);
    StatCounts[] counts = s.counts(p);
    long fromMinute = history == null ? Long.MIN_VALUE : Math.floorDiv(history.from().getEpochSecond(), 60);
    int first = 0;
    while (first < minutes.length && minutes[first] < fromMinute) {
      first++;
    }
    double slowSeconds = params.slowHalfLifeMinutes() * 60.0;
    double fastSeconds = params.fastHalfLifeSeconds();
    long nowSecond = now.getEpochSecond();
    int n = minutes.length - first;
    DecayedCounts[] suffix = new DecayedCounts[n];
    long[] kept = new long[n];
    DecayedCounts slow = DecayedCounts.ZERO;
    DecayedCounts fast = DecayedCounts.ZERO;
    DecayedCounts engagement = DecayedCounts.ZERO;
    DecayedCounts engagementBaseline = DecayedCounts.ZERO;
    double openSeconds = params.openHalfLifeMinutes() * 60.0;
    for (int i = 0; i < minutes.length; i++) {
      double age = Math.max(0, nowSecond - (minutes[i] * 60 + 30));
      engagement = engagement.plus(DecayedCounts.of(counts[i], Math.pow(0.5, age / openSeconds)));
      engagementBaseline = engagementBaseline.plus(DecayedCounts.of(counts[i], Math.pow(0.5, age / slowSeconds)));
    }
    for (int i = minutes.length - 1; i >= first; i--) {
      // A bucket holds what arrived during its minute: aged from its middle, the current one not at all.
      double age = Math.max(0, nowSecond - (minutes[i] * 60 + 30));
      StatCounts c = i == first && minutes[i] == fromMinute ? counts[i].minus(history.excluded()) : counts[i];
      slow = slow.plus(DecayedCounts.of(c, Math.pow(0.5, age / slowSeconds)));
      fast = fast.plus(DecayedCounts.of(c, Math.pow(0.5, age / fastSeconds)));
      suffix[i - first] = slow;
      kept[i - first] = minutes[i];
    }
    DecayedCounts older = s.olderSlow(p).times(
        Math.pow(0.5, Math.max(0, nowSecond - s.recentFrom().getEpochSecond()) / slowSeconds));
    engagementBaseline = engagementBaseline.plus(older);
    if (history == null) {
      slow = slow.plus(older);
    }
    ChangeDetector.Change change = detect
        ? new ChangeDetector(params).detect(slow, kept, suffix, Math.floorDiv(nowSecond, 60)) : null;
    return new ProviderMemory(slow, fast, history, change, engagement, engagementBaseline);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("history_from", history == null ? null : history.from().toString())
        .put("history_reason", history == null ? null : history.reason())
        .put("slow", slow.toJson())
        .put("fast", fast.toJson())
        .put("change", change == null ? null : change.toJson())
        .put("engagement", engagement.toJson());
  }
}
