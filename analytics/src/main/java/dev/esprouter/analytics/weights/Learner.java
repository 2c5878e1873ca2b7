package dev.esprouter.analytics.weights;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learned split of one channel (and domain group), recomputed from each new stats snapshot
 * (every {@code ESP_WEIGHTS_REFRESH_MS}): per provider its memory ({@link ProviderMemory}, restarted
 * at change points), its {@link Estimate}, its {@link Gate}; then the open providers share the
 * traffic left by probes as {@code floor + (1 − n·floor)·P(best)} ({@link ProbabilityOfBest}), a
 * cut provider gets nothing and a probing one {@code probeShare}. A share rises by at most
 * {@code maxRisePoints} per update (what a cut or a fall frees goes where the target says, at once),
 * so consecutive chunks never see the split swing. The only state kept between updates: each
 * provider's history start (and its parent's, over every group), its gate and the last shares.
 * Thread-safe.
 */
public final class Learner {

  private static final Logger log = LoggerFactory.getLogger(Learner.class);

  /** One provider's part of an allocation. */
  public record Line(ProviderName provider, ProviderMemory memory, Estimate estimate, double probabilityOfBest,
                     Gate.State gate, JsonObject gateJson, double target, double share) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("memory", memory.toJson())
          .put("estimate", estimate.toJson())
          .put("probability_of_best", Rates.round(probabilityOfBest))
          .put("gate", gateJson)
          .put("target_share", Rates.round(target))
          .put("learned_share", Rates.round(share));
    }
  }

  /** The learned shares at {@code at} (before breakers and enabled flags, which apply per call). */
  public record Allocation(Instant at, Map<ProviderName, Line> lines) {

    public Line line(ProviderName p) {
      return lines.get(p);
    }
  }

  private final Channel channel;
  private final String label;
  private final long seed;
  private final WeightParameters params;
  private final Map<ProviderName, History> histories = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, History> parentHistories = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, StatCounts> parentAtCut = new EnumMap<>(ProviderName.class);
  private final Map<ProviderName, Gate> gates = new EnumMap<>(ProviderName.class);
  private Map<ProviderName, Double> shares;
  private volatile Allocation last;

  /**
   * @param label what log lines call this split (e.g. {@code email/microsoft})
   * @param seed  mixed with each update's second into the posterior draws' seed
   */
  public Learner(Channel channel, String label, long seed, WeightParameters params) {
    this.channel = channel;
    this.label = label;
    this.seed = seed;
    this.params = params;
  }

  public WeightParameters parameters() {
    return params;
  }

  /** The last allocation, or null before the first update. */
  public Allocation last() {
    return last;
  }

  /** Learns from snapshot {@code s} as of {@code now}. O(providers × (recent buckets + draws)). */
  public Allocation update(StatsSnapshot s, Instant now) {
    return update(s, null, now);
  }

  /**
   * Learns from one recipient-domain group's snapshot {@code s}, each provider's estimate smoothed
   * toward its estimate over {@code all} groups (null: toward the fixed priors).
   */
  public synchronized Allocation update(StatsSnapshot s, StatsSnapshot all, Instant now) {
    List<ProviderName> providers = ProviderName.of(channel);
    int n = providers.size();
    ProviderMemory[] memories = new ProviderMemory[n];
    Estimate[] estimates = new Estimate[n];
    for (int i = 0; i < n; i++) {
      ProviderName p = providers.get(i);
      memories[i] = remember(s, p, now);
      estimates[i] = estimate(memories[i], all, p, now);
      Gate gate = gates.computeIfAbsent(p, k -> new Gate());
      Gate.State before = gate.state();
      boolean reopened = gate.update(now, estimates[i], t -> s.since(p, t), params);
      if (gate.state() != before) {
        log.info("routing {}: {} {} → {}{}", label, p.wire(), before.wire(), gate.state().wire(),
            gate.state() == Gate.State.CUT ? " (" + gate.reason() + ")" : "");
      }
      if (gate.state() == Gate.State.CUT && before != Gate.State.CUT) {
        StatCounts c = all == null ? null : all.since(p, gate.countFrom());
        parentAtCut.put(p, c == null ? StatCounts.ZERO : c);
      }
      if (reopened) {
        restartAtProbes(p, gate);
        memories[i] = remember(s, p, now);
        estimates[i] = estimate(memories[i], all, p, now);
      }
    }
    double[] target = targets(providers, estimates, now);
    double[] share = limitRise(providers, target);
    Map<ProviderName, Line> lines = new EnumMap<>(ProviderName.class);
    Map<ProviderName, Double> next = new EnumMap<>(ProviderName.class);
    double[] pBest = lastProbabilities;
    for (int i = 0; i < n; i++) {
      ProviderName p = providers.get(i);
      Gate g = gates.get(p);
      lines.put(p, new Line(p, memories[i], estimates[i], pBest[i], g.state(), g.toJson(), target[i], share[i]));
      next.put(p, share[i]);
    }
    shares = next;
    last = new Allocation(now, lines);
    return last;
  }

  private double[] lastProbabilities;

  /** The provider's memory from where it starts now; a change found now restarts it there (and its parent's). */
  private ProviderMemory remember(StatsSnapshot s, ProviderName p, Instant now) {
    ProviderMemory m = ProviderMemory.of(s, p, now, histories.get(p), params);
    if (m.change() != null) {
      histories.put(p, m.history());
      parentHistories.put(p, m.history());
      log.info("routing {}: {} changed: {}", label, p.wire(), m.change().toJson().encode());
    }
    return m;
  }

  /**
   * The provider's estimate, smoothed toward its record over every group ({@code all}) over the same
   * period as its own memory: a prior that still held what a restart forgot would bring it back.
   */
  private Estimate estimate(ProviderMemory m, StatsSnapshot all, ProviderName p, Instant now) {
    Estimate parent = all == null ? null
        : Estimate.of(ProviderMemory.of(all, p, now, parentHistories.get(p), params), params);
    return Estimate.of(m, params, parent);
  }

  /**
   * A provider cut for a limit reopens only once its probes proved the rate back under the limit:
   * the spell before the cut is the very evidence the probes disproved, so the memory restarts at the
   * cut (its minute, less what that minute held at the cut) like at a change point — else the slow
   * memory (a day's half-life) would keep it at the floor for hours, or cut it again at once. A later
   * change point already found during the probes is kept (it starts later still).
   */
  private void restartAtProbes(ProviderName p, Gate gate) {
    History current = histories.get(p);
    if (current != null && !current.from().isBefore(gate.countFrom())) {
      return;
    }
    histories.put(p, new History(gate.countFrom(), gate.atCut(), History.REOPENED));
    parentHistories.put(p, new History(gate.countFrom(), parentAtCut.getOrDefault(p, StatCounts.ZERO),
        History.REOPENED));
    log.info("routing {}: {} reopened by its probes: memory restarted at {} (the spell before the cut no longer "
        + "counts)", label, p.wire(), gate.countFrom());
  }

  /** The shares the learner aims at now: probes, then floor + P(best) over the open providers. */
  private double[] targets(List<ProviderName> providers, Estimate[] estimates, Instant now) {
    int n = providers.size();
    double[] target = new double[n];
    int open = 0;
    int probing = 0;
    for (ProviderName p : providers) {
      Gate.State st = gates.get(p).state();
      open += st == Gate.State.OPEN ? 1 : 0;
      probing += st == Gate.State.PROBING ? 1 : 0;
    }
    Estimate[] openEstimates = new Estimate[open];
    int[] openIndex = new int[open];
    for (int i = 0, j = 0; i < n; i++) {
      if (gates.get(providers.get(i)).state() == Gate.State.OPEN) {
        openEstimates[j] = estimates[i];
        openIndex[j++] = i;
      }
    }
    double[] p = ProbabilityOfBest.of(openEstimates, params.draws(), seed * 31 + now.getEpochSecond());
    lastProbabilities = new double[n];
    double probe = open == 0 ? 1.0 / Math.max(1, probing) : Math.min(params.probeShare(), 1.0 / (probing + open));
    double rest = 1 - probing * probe;
    double floor = open == 0 ? 0 : Math.min(params.explorationFloor(), 1.0 / open);
    for (int i = 0; i < n; i++) {
      if (gates.get(providers.get(i)).state() == Gate.State.PROBING) {
        target[i] = probe;
      }
    }
    for (int j = 0; j < open; j++) {
      lastProbabilities[openIndex[j]] = p[j];
      target[openIndex[j]] = rest * (floor + (1 - open * floor) * p[j]);
    }
    return target;
  }

  /**
   * The step from the last shares toward the target: a provider whose gate is not open takes its
   * target at once (a cut is immediate, a probe is small); the open ones then share what is left in
   * their last proportions, and move toward their targets together by the largest fraction that
   * changes none of them by more than {@code maxRisePoints}. Shares always sum to 1, so a bound on
   * every change is also the bound on rises.
   */
  private double[] limitRise(List<ProviderName> providers, double[] target) {
    int n = providers.size();
    if (shares == null) {
      return target.clone();
    }
    double[] start = new double[n];
    double openPrev = 0;
    double openTarget = 0;
    for (int i = 0; i < n; i++) {
      if (gates.get(providers.get(i)).state() == Gate.State.OPEN) {
        openPrev += shares.getOrDefault(providers.get(i), 0.0);
        openTarget += target[i];
      }
    }
    double largest = 0;
    for (int i = 0; i < n; i++) {
      boolean open = gates.get(providers.get(i)).state() == Gate.State.OPEN;
      start[i] = !open ? target[i]
          : openPrev <= 0 ? target[i] : shares.getOrDefault(providers.get(i), 0.0) * openTarget / openPrev;
      largest = Math.max(largest, Math.abs(target[i] - start[i]));
    }
    double cap = params.maxRisePoints() / 1000.0;
    double step = largest <= cap ? 1 : cap / largest;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = start[i] + step * (target[i] - start[i]);
    }
    return out;
  }
}
