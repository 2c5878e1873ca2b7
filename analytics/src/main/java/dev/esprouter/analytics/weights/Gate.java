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
 * for the back-off, then {@code PROBING} (a small probe share) until the probes resolved
 * {@code probeMinEvidence} sends: under every limit → {@code OPEN} again (and the learner forgets
 * what came before the probes), over one → {@code CUT} with the back-off doubled (up to its
 * maximum; it starts over once the provider stayed open ten back-offs long). Not thread-safe: the
 * learner updates it under its lock.
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
  private Instant openedAt = Instant.EPOCH;
  private long backoffMs;

  public State state() {
    return state;
  }

  /** The same as a {@link History} start: the memory of a reopened provider begins with its probes. */
  public History probesStart() {
    return new History(countFrom, atCut);
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
        String crossed = crossed(estimate, p);
        if (crossed != null) {
          cut(now, crossed, p, false, since);
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
        String crossed = crossed(probes, p);
        if (crossed != null) {
          cut(now, "probe: " + crossed, p, true, since);
        } else {
          state = State.OPEN;
          openedAt = now;
          return true;
        }
      }
    }
    return false;
  }

  private void cut(Instant now, String why, WeightParameters p, boolean probeFailed,
                   Function<Instant, StatCounts> since) {
    boolean again = probeFailed || backoffMs > 0 && Duration.between(openedAt, now).toMillis() < 10 * backoffMs;
    backoffMs = again ? Math.min(p.gateMaxBackoffMs(), backoffMs * 2) : p.gateBackoffMs();
    state = State.CUT;
    reason = why;
    until = now.plusMillis(backoffMs);
    probeFrom = null;
    countFrom = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 60) * 60);
    StatCounts c = since.apply(countFrom);
    atCut = c == null ? StatCounts.ZERO : c;
  }

  /** The first limit {@code e} is significantly over, as "metric rate > limit", or null. */
  static String crossed(Estimate e, WeightParameters p) {
    for (SenderMetric m : SenderMetric.values()) {
      double limit = p.limit(m);
      double r = e.rate(m);
      if (limit < 1 && over(r, e.evidence(m), limit)) {
        return m.wire() + " " + Rates.round(r) + " > " + limit;
      }
    }
    return null;
  }

  /** The same test on raw probe counters. */
  static String crossed(DecayedCounts c, WeightParameters p) {
    for (SenderMetric m : SenderMetric.values()) {
      double limit = p.limit(m);
      double n = m.trials(c);
      if (limit < 1 && n > 0 && over(m.hits(c) / n, n, limit)) {
        return m.wire() + " " + Rates.round(m.hits(c) / n) + " > " + limit;
      }
    }
    return null;
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
