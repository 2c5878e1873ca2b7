package dev.esprouter.analytics.weights;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.ProviderHealth.Breaker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each provider's weight (points of 1000 for a fresh send, breakers and enabled flags applied) per
 * channel and domain group over time, and every big change with its reason ({@code GET
 * /v1/stats/weights}). Fed by {@link LearnedWeightSource} after every learner update
 * ({@code ESP_WEIGHTS_REFRESH_MS}): the points are sampled into a ring every {@code sampleSeconds}
 * and kept for {@code keep}; a change is recorded at the update that made it — a gate transition
 * (limit crossed and which rate, probing, probe failed, reopened), a breaker transition, a change
 * point the detector found, the provider disabled or enabled, or a move of at least
 * {@code changePoints} since the provider's last recorded change (the learner's allocation, or
 * another provider's event freeing or taking back its share).
 *
 * <p>In memory, per process, on purpose: what is recorded is this process's learner's own decisions
 * and the state that explains them (gates, change points, breakers), which live and die with the
 * process too; PostgreSQL would need a writer per process, keys per process and a pruning job for
 * data only this process can explain. Bounded: {@code 22} series × the samples of {@code keep}
 * (24 h of 10-s samples: 190,080 values, under 400 KB) and at most {@link #MAX_CHANGES} changes.
 * Prometheus ({@code esp_routing_weight_points}, {@code esp_routing_gate_state}) is the cluster-wide,
 * longer history. Thread-safe.
 */
public final class WeightHistory {

  /** The most changes kept (oldest dropped first), whatever {@code keep} says. */
  public static final int MAX_CHANGES = 10_000;
  /** The most samples a configuration may keep. */
  public static final int MAX_SAMPLES = 200_000;

  /** Why a weight changed. */
  public enum Kind {
    LIMIT_CROSSED, PROBING, PROBE_FAILED, PROBE_REOPENED, BREAKER_OPEN, BREAKER_HALF_OPEN, BREAKER_CLOSED,
    CHANGE_DETECTED, DISABLED, ENABLED, ALLOCATION;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One provider's weight in one channel and domain group (a column of the ring). */
  public record Column(Channel channel, DomainGroup group, ProviderName provider) {

    /** {@code email/gmail}, or the channel alone where it has one group. */
    public String series() {
      return seriesKey(channel, group);
    }
  }

  /** A recorded change of one provider's weight. */
  public record Change(Instant at, Column column, Kind kind, String reason, int before, int after) {

    public JsonObject toJson() {
      return new JsonObject().put("t", at.toString()).put("channel", column.channel().wire())
          .put("domain_group", column.group().wire()).put("provider", column.provider().wire())
          .put("kind", kind.wire()).put("reason", reason).put("weight_before", before).put("weight", after);
    }
  }

  /** Every column: each channel's domain groups (email: five; WhatsApp, Telegram: {@code other}) × its providers. */
  public static final List<Column> COLUMNS = columns();
  private static final Map<Column, Integer> INDEX = index();

  private final long sampleSeconds;
  private final Duration keep;
  private final int changePoints;
  private final int capacity;
  private final long[] times;
  private final short[][] values;
  private int head;
  private int size;
  private long lastSampleSecond = Long.MIN_VALUE;
  private final ArrayDeque<Change> changes = new ArrayDeque<>();
  private final Map<Column, Seen> seen = new java.util.HashMap<>();

  /** What was last seen of a column, and its weight and chance of being best at its last recorded change. */
  private static final class Seen {
    int points;
    Gate.State gate;
    Breaker breaker;
    boolean enabled;
    String gateReason;
    ChangeDetector.Change change;
    int markPoints;
    double markBest;
  }

  /**
   * @param sampleSeconds how often the points are sampled ({@code ESP_WEIGHTS_HISTORY_SAMPLE_SECONDS})
   * @param keep          how long samples and changes are kept ({@code ESP_WEIGHTS_HISTORY_HOURS})
   * @param changePoints  the move since the last recorded change that is recorded as one
   *                      ({@code ESP_WEIGHTS_HISTORY_CHANGE_POINTS})
   */
  public WeightHistory(long sampleSeconds, Duration keep, int changePoints) {
    if (sampleSeconds < 1 || keep.toSeconds() / sampleSeconds > MAX_SAMPLES) {
      throw new IllegalArgumentException("a weight history of " + keep + " sampled every " + sampleSeconds
          + " s: at most " + MAX_SAMPLES + " samples");
    }
    this.sampleSeconds = sampleSeconds;
    this.keep = keep;
    this.changePoints = changePoints;
    this.capacity = (int) Math.max(1, keep.toSeconds() / sampleSeconds + 1);
    this.times = new long[capacity];
    this.values = new short[COLUMNS.size()][capacity];
  }

  public long sampleSeconds() {
    return sampleSeconds;
  }

  public Duration keep() {
    return keep;
  }

  /**
   * Records one learner update of every channel and domain group: the changes it made, and a sample
   * when the last is {@code sampleSeconds} old.
   */
  public synchronized void record(Instant now, List<WeightExplanation> explanations) {
    List<Change> found = new ArrayList<>();
    int[] points = new int[COLUMNS.size()];
    for (WeightExplanation e : explanations) {
      List<Change> events = new ArrayList<>();
      List<Column> drifting = new ArrayList<>();
      for (ProviderScore s : e.providers()) {
        Column c = new Column(e.channel(), e.group(), s.provider());
        Integer index = INDEX.get(c);
        if (index == null) {
          continue;
        }
        points[index] = s.weight();
        Seen before = seen.get(c);
        Seen current = seenOf(s);
        seen.put(c, current);
        if (before == null) {
          current.markPoints = current.points;
          current.markBest = s.learned().probabilityOfBest();
          continue;
        }
        current.markPoints = before.markPoints;
        current.markBest = before.markBest;
        List<Change> own = transitions(now, c, before, current, s);
        if (own.isEmpty() && Math.abs(current.points - current.markPoints) >= changePoints) {
          drifting.add(c);
        }
        if (!own.isEmpty()) {
          mark(current, s);
        }
        events.addAll(own);
      }
      for (Column c : drifting) {
        Seen s = seen.get(c);
        ProviderScore score = e.provider(c.provider());
        events.add(new Change(now, c, Kind.ALLOCATION, allocationReason(s, score, events), s.markPoints, s.points));
        mark(s, score);
      }
      found.addAll(events);
    }
    changes.addAll(found);
    Instant oldest = now.minus(keep);
    while (!changes.isEmpty() && (changes.size() > MAX_CHANGES || changes.peekFirst().at().isBefore(oldest))) {
      changes.removeFirst();
    }
    long second = now.getEpochSecond();
    if (lastSampleSecond == Long.MIN_VALUE || second - lastSampleSecond >= sampleSeconds) {
      sample(second, points);
      lastSampleSecond = second;
    }
  }

  private static Seen seenOf(ProviderScore s) {
    Seen n = new Seen();
    n.points = s.weight();
    n.gate = s.learned().gate();
    n.gateReason = s.learned().gateJson().getString("reason");
    n.breaker = s.breaker();
    n.enabled = s.enabled();
    n.change = s.learned().memory().change();
    return n;
  }

  private static void mark(Seen s, ProviderScore score) {
    s.markPoints = s.points;
    s.markBest = score.learned().probabilityOfBest();
  }

  /** The provider's own events between two updates, in the order they explain the move. */
  private static List<Change> transitions(Instant now, Column c, Seen was, Seen is, ProviderScore s) {
    List<Change> out = new ArrayList<>(2);
    int before = was.markPoints;
    ChangeDetector.Change change = is.change;
    // The same allocation seen twice (no update in between) is not a second change.
    if (change != null && !change.equals(was.change)) {
      out.add(new Change(now, c, Kind.CHANGE_DETECTED, change.metric().wire() + " " + Rates.round(change.before())
          + " → " + Rates.round(change.after()) + " since " + Instant.ofEpochSecond(change.epochMinute() * 60)
          + " (z " + Math.round(change.z() * 10) / 10.0 + "): memory restarted there", before, is.points));
    }
    if (was.gate != is.gate) {
      out.add(new Change(now, c, gateKind(was.gate, is.gate), gateReason(was, is, s), before, is.points));
    }
    if (was.breaker != is.breaker) {
      Kind k = switch (is.breaker) {
        case OPEN -> Kind.BREAKER_OPEN;
        case HALF_OPEN -> Kind.BREAKER_HALF_OPEN;
        case CLOSED -> Kind.BREAKER_CLOSED;
      };
      String why = switch (is.breaker) {
        case OPEN -> "breaker open: calls failing, no traffic";
        case HALF_OPEN -> "breaker half-open: a probe share until calls succeed";
        case CLOSED -> "breaker closed: calls succeed again";
      };
      out.add(new Change(now, c, k, why, before, is.points));
    }
    if (was.enabled != is.enabled) {
      out.add(new Change(now, c, is.enabled ? Kind.ENABLED : Kind.DISABLED,
          is.enabled ? "enabled by the operator" : "disabled by the operator", before, is.points));
    }
    return out;
  }

  private static Kind gateKind(Gate.State from, Gate.State to) {
    return switch (to) {
      case CUT -> from == Gate.State.PROBING ? Kind.PROBE_FAILED : Kind.LIMIT_CROSSED;
      case PROBING -> Kind.PROBING;
      case OPEN -> Kind.PROBE_REOPENED;
    };
  }

  private static String gateReason(Seen was, Seen is, ProviderScore s) {
    return switch (is.gate) {
      case CUT -> (was.gate == Gate.State.PROBING ? "probes over the limit (" : "limit crossed (") + is.gateReason
          + "): cut, back-off " + s.learned().gateJson().getLong("backoff_ms") + " ms";
      case PROBING -> "back-off over: a probe share until the probes prove the rate under its limit";
      case OPEN -> "probes proved the rate under its limit (cut for " + was.gateReason + "); memory restarted at "
          + s.learned().memory().historyFrom();
    };
  }

  /** Why an open provider moved this much without an event of its own. */
  private static String allocationReason(Seen s, ProviderScore score, List<Change> events) {
    for (Change e : events) {
      if (e.column().provider() != score.provider() && e.kind() != Kind.ALLOCATION
          && e.kind() != Kind.CHANGE_DETECTED) {
        return (s.points > s.markPoints ? "takes share freed by " : "gives share back to ")
            + e.column().provider().wire() + " (" + e.kind().wire() + ")";
      }
    }
    double best = score.learned().probabilityOfBest();
    String why = "allocation: probability of best " + Rates.round(s.markBest) + " → " + Rates.round(best)
        + " (value " + Rates.round(score.learned().estimate().value()) + ")";
    return score.exclusion() == null ? why : why + "; " + score.exclusion();
  }

  private void sample(long second, int[] points) {
    int at = (head + size) % capacity;
    if (size == capacity) {
      head = (head + 1) % capacity;
    } else {
      size++;
    }
    times[at] = second;
    for (int i = 0; i < points.length; i++) {
      values[i][at] = (short) points[i];
    }
  }

  /**
   * The samples in {@code [from, to]} of the columns of {@code channel} (null: every channel) and
   * {@code group} (null: every group), at most {@code maxPoints} per series (the last sample of
   * each step when there are more), and the changes in the same range.
   */
  public synchronized JsonObject query(Instant from, Instant to, Channel channel, DomainGroup group, int maxPoints) {
    long f = from.getEpochSecond();
    long t = to.getEpochSecond();
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      long s = times[(head + i) % capacity];
      if (s >= f && s <= t) {
        picked.add((head + i) % capacity);
      }
    }
    long step = sampleSeconds;
    if (picked.size() > maxPoints) {
      step = sampleSeconds * ((picked.size() + maxPoints - 1) / maxPoints);
      List<Integer> coarse = new ArrayList<>();
      for (int k = 0; k < picked.size(); k++) {
        boolean lastOfStep = k == picked.size() - 1
            || Math.floorDiv(times[picked.get(k + 1)] - f, step) != Math.floorDiv(times[picked.get(k)] - f, step);
        if (lastOfStep) {
          coarse.add(picked.get(k));
        }
      }
      picked = coarse;
    }
    JsonArray ts = new JsonArray();
    picked.forEach(i -> ts.add(times[i]));
    Map<String, JsonObject> bySeries = new TreeMap<>();
    for (int c = 0; c < COLUMNS.size(); c++) {
      Column col = COLUMNS.get(c);
      if (!wanted(col, channel, group)) {
        continue;
      }
      JsonArray v = new JsonArray();
      for (int i : picked) {
        v.add(values[c][i]);
      }
      bySeries.computeIfAbsent(col.series(), k -> new JsonObject()).put(col.provider().wire(), v);
    }
    JsonObject weights = new JsonObject();
    bySeries.forEach(weights::put);
    JsonArray list = new JsonArray();
    for (Change ch : changes) {
      if (!ch.at().isBefore(from) && !ch.at().isAfter(to) && wanted(ch.column(), channel, group)) {
        list.add(ch.toJson());
      }
    }
    return new JsonObject().put("scope", "process").put("sample_seconds", sampleSeconds)
        .put("step_seconds", step).put("keep_hours", keep.toMinutes() / 60.0)
        .put("kept_from", size == 0 ? null : Instant.ofEpochSecond(times[head]).toString())
        .put("from", from.toString()).put("to", to.toString())
        .put("t", ts).put("weights", weights).put("changes", list);
  }

  private static boolean wanted(Column c, Channel channel, DomainGroup group) {
    return (channel == null || c.channel() == channel) && (group == null || c.group() == group);
  }

  /** {@code email/gmail}, or the channel alone where it has one group (WhatsApp, Telegram). */
  public static String seriesKey(Channel c, DomainGroup g) {
    return LearnedWeightSource.groups(c).size() == 1 ? c.wire() : c.wire() + "/" + g.wire();
  }

  private static Map<Column, Integer> index() {
    Map<Column, Integer> m = new java.util.HashMap<>();
    for (int i = 0; i < COLUMNS.size(); i++) {
      m.put(COLUMNS.get(i), i);
    }
    return Map.copyOf(m);
  }

  private static List<Column> columns() {
    List<Column> out = new ArrayList<>();
    for (Channel c : Channel.values()) {
      for (DomainGroup g : LearnedWeightSource.groups(c)) {
        for (ProviderName p : ProviderName.of(c)) {
          out.add(new Column(c, g, p));
        }
      }
    }
    return List.copyOf(out);
  }
}
