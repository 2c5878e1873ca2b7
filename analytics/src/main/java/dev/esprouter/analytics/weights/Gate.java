package dev.esprouter.analytics.weights;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;

/**
 * The hard limits a sender sets on one provider's traffic (per channel and domain group), like an
 * outlier ejection with back-off: {@code OPEN} until a rate is significantly over its limit
 * ({@code ESP_ROUTING_MAX_*_RATE}; lower 95 % bound above the line), then {@code CUT} (no traffic)
 * for the back-off, then {@code PROBING} (a small probe share); once at least
 * {@code probeMinEvidence} probe sends resolved: the rate it was cut for proven under its limit
 * (upper 95 % bound) → {@code OPEN} again (the learner then restarts the provider's memory at the cut:
 * the spell before it is what the probes disproved), one over → {@code CUT} with the back-off doubled (up to its
 * maximum, an hour for complaints; it starts over once the provider stayed open ten back-offs
 * long), else it keeps probing. Not thread-safe: the learner updates it under its lock.
 */
public final class Gate {

  public enum State {
    OPEN, CUT, PROBING;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One-sided 95 %: a rate is over its limit when its lower bound is. */
  static final double Z = 1.645;

  private State state = State.OPEN;
  private String reason;
  private Instant until;
  private Instant probeFrom;
  private Instant countFrom;
  private StatCounts atCut = StatCounts.ZERO;
  private SenderMetric cutFor;
  private Instant openedAt = Instant.EPOCH;
  private long backoffMs;

  public State state() {
    return state;
  }

  /** Why the provider was last cut (metric and rates), or null if never. */
  public String reason() {
    return reason;
  }

  /**
   * Where what the probes did starts: the cut's minute, less {@link #atCut()} (what that minute's
   * bucket held at the cut — the traffic that crossed the limit). Null before the first cut.
   */
  public Instant countFrom() {
    return countFrom;
  }

  /** The counters of the cut's minute as they were at the cut. */
  public StatCounts atCut() {
    return atCut;
  }

  /**
   * Moves the gate on at {@code now}.
   *
   * @param estimate what the learner believes of the provider now (for {@code OPEN})
   * @param since    the provider's counters of the buckets from an instant's minute on (null: none)
   * @return true when the gate just opened after probing (the learner then restarts the provider's history)
   */
  public boolean update(Instant now, Estimate estimate, Function<Instant, StatCounts> since, WeightParameters p) {
    switch (state) {
      case OPEN -> {
        SenderMetric m = crossedMetric(estimate, p);
        if (m != null) {
          cut(now, m.wire() + " " + Rates.round(estimate.rate(m)) + " > " + p.limit(m), m, p, false, since);
        }
      }
      case CUT -> {
        if (!now.isBefore(until)) {
          state = State.PROBING;
          probeFrom = now;
        }
      }
      case PROBING -> {
        StatCounts raw = since.apply(countFrom);
        DecayedCounts probes = DecayedCounts.of(raw == null ? StatCounts.ZERO : raw.minus(atCut), 1);
        if (probes.resolved() < p.probeMinEvidence()) {
          return false;
        }
        SenderMetric m = crossedMetric(probes, p);
        if (m != null) {
          cut(now, "probe: " + m.wire() + " " + Rates.round(m.hits(probes) / m.trials(probes)) + " > " + p.limit(m), m,
              p, true, since);
        } else if (provenUnder(probes, cutFor, p)) {
          state = State.OPEN;
          openedAt = now;
          return true;
        }
      }
    }
    return false;
  }

  private void cut(Instant now, String why, SenderMetric metric, WeightParameters p, boolean probeFailed,
                   Function<Instant, StatCounts> since) {
    cutFor = metric;
    boolean again = probeFailed || backoffMs > 0 && Duration.between(openedAt, now).toMillis() < 10 * backoffMs;
    // Complaints are a reputation problem that takes days to fix: probed far less often than blocks.
    long max = metric == SenderMetric.COMPLAINT ? p.complaintMaxBackoffMs() : p.gateMaxBackoffMs();
    backoffMs = again ? Math.min(max, Math.max(backoffMs * 2, p.gateBackoffMs())) : p.gateBackoffMs();
    state = State.CUT;
    reason = why;
    until = now.plusMillis(backoffMs);
    probeFrom = null;
    countFrom = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 60) * 60);
    StatCounts c = since.apply(countFrom);
    atCut = c == null ? StatCounts.ZERO : c;
  }

  /** The first rate {@code e} is significantly over its limit, or null. */
  static SenderMetric crossedMetric(Estimate e, WeightParameters p) {
    for (SenderMetric m : SenderMetric.values()) {
      if (p.limit(m) < 1 && over(e.rate(m), e.evidence(m), p.limit(m))) {
        return m;
      }
    }
    return null;
  }

  /** The same test on raw probe counters. */
  static SenderMetric crossedMetric(DecayedCounts c, WeightParameters p) {
    for (SenderMetric m : SenderMetric.values()) {
      double n = m.trials(c);
      if (p.limit(m) < 1 && n > 0 && over(m.hits(c) / n, n, p.limit(m))) {
        return m;
      }
    }
    return null;
  }

  /**
   * Whether the probes show the rate the provider was cut for under its limit with 95 % confidence
   * (upper bound; with no event at all the "rule of three", 3/n): a 0.1 % complaint line needs about
   * 3,000 clean deliveries, a 10 % block line about 30 clean sends. Until then it keeps probing.
   */
  static boolean provenUnder(DecayedCounts c, SenderMetric m, WeightParameters p) {
    double limit = p.limit(m);
    double n = m.trials(c);
    if (n <= 0) {
      return false;
    }
    double r = m.hits(c) / n;
    double upper = m.hits(c) == 0 ? 3 / n : r + Z * Math.sqrt(r * (1 - r) / n);
    return upper < limit;
  }

  static boolean over(double rate, double n, double limit) {
    return n > 0 && rate - Z * Math.sqrt(rate * (1 - rate) / n) > limit;
  }

  public JsonObject toJson() {
    return new JsonObject().put("state", state.wire()).put("reason", reason)
        .put("until", state == State.CUT ? until.toString() : null)
        .put("probing_since", state == State.PROBING ? probeFrom.toString() : null)
        .put("backoff_ms", backoffMs);
  }
}
