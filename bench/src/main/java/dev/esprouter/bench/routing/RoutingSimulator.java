package dev.esprouter.bench.routing;

import dev.esprouter.analytics.weights.Learner;
import dev.esprouter.analytics.weights.ProviderInput;
import dev.esprouter.analytics.weights.StatCounts;
import dev.esprouter.analytics.weights.StatsSnapshot;
import dev.esprouter.analytics.weights.WeightCalculator;
import dev.esprouter.analytics.weights.WeightParameters;
import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.ProviderHealth.Breaker;
import dev.esprouter.common.routing.Weights;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The real {@link Learner} and {@link WeightCalculator} against simulated email providers with
 * known true rates that change over time, fed back through minute buckets exactly as the status
 * writer builds them, with the sandbox's fast feedback or realistic delays (deliveries seconds
 * later, opens about an hour, complaints about four hours). The issue's traffic: a 1,000-recipient
 * batch every 2 s, the learner updated every 2 s (ESP_WEIGHTS_REFRESH_MS). Pure, in memory,
 * seeded; prints value against the floor-keeping oracle, time to the floor after a block starts,
 * recovery after it heals, flapping and complaint exposure.
 *
 * <p>{@code bench/run dev.esprouter.bench.routing.RoutingSimulator [seed] [--per-channel] [--heal]}: by
 * default the email path (the learner reads the all-groups record as its prior);
 * {@code --per-channel} without it; {@code --heal} only the block-and-heal scenario.
 */
public final class RoutingSimulator {

  static final List<ProviderName> EMAIL = ProviderName.of(Channel.EMAIL);
  static final ProviderName SG = ProviderName.SENDGRID;
  static final ProviderName PM = ProviderName.POSTMARK;
  static final ProviderName SL = ProviderName.SOCKETLABS;
  static final ProviderName SP = ProviderName.SPARKPOST;
  static final int STEP_SECONDS = 2;
  static final int BATCH = 1000;
  static final long T0 = Instant.parse("2026-12-01T00:00:00Z").getEpochSecond();

  /** True rates of one provider, per sent message (the issue's terms: delivered, opened, complained). */
  record Truth(double delivered, double opened, double complained) {
    double value() {
      return delivered + opened;
    }
  }

  /** How late feedback arrives: deliveries and blocks uniformly in [min, max] s, opens and complaints exponential. */
  record Delays(String name, double deliveryMin, double deliveryMax, double openMean, double complaintMean) {
  }

  static final Delays SANDBOX = new Delays("sandbox (1-2 s)", 1, 2, 1.5, 2);
  static final Delays REALISTIC = new Delays("realistic (deliveries 2-60 s, opens ~1 h, complaints ~4 h)", 2, 60,
      3600, 4 * 3600);

  /** A scenario: the true rates over time, how long, and the windows its figures are read in. */
  interface Scenario {
    String name();

    long seconds();

    Truth truth(ProviderName p, long t);

    /** From when the split counts as steady for regret and flapping. */
    long steadyFrom();

    /** The provider an event hits, when it starts and when it heals (-1: none). */
    default ProviderName eventProvider() {
      return null;
    }

    default long eventStart() {
      return -1;
    }

    default long eventEnd() {
      return -1;
    }
  }

  static Truth issueRates(ProviderName p) {
    return switch (p) {
      case SENDGRID -> new Truth(0.97, 0.35, 0);
      case POSTMARK -> new Truth(0.99, 0.45, 0);
      case SOCKETLABS -> new Truth(0.93, 0.25, 0);
      default -> new Truth(0.90, 0.20, 0.01);
    };
  }

  /** The issue's rates, nothing changes (SparkPost's 1 % complaints included). */
  static Scenario steady(long seconds, long steadyFrom) {
    return new Scenario() {
      public String name() {
        return "steady: the issue's rates, SparkPost 1 % complaints";
      }

      public long seconds() {
        return seconds;
      }

      public Truth truth(ProviderName p, long t) {
        return issueRates(p);
      }

      public long steadyFrom() {
        return steadyFrom;
      }
    };
  }

  /** Postmark (the best) blocks 20 % of its mail provider-side from {@code start} to {@code end}. */
  static Scenario block(long steadyFrom, long start, long end, long seconds) {
    return new Scenario() {
      public String name() {
        return "block: Postmark refuses 20 % (5.7.1) for " + (end - start) / 60 + " min, then heals";
      }

      public long seconds() {
        return seconds;
      }

      public Truth truth(ProviderName p, long t) {
        Truth base = issueRates(p);
        if (p == PM && t >= start && t < end) {
          return new Truth(base.delivered() - 0.20, base.opened() * (base.delivered() - 0.20) / base.delivered(), 0);
        }
        return base;
      }

      public long steadyFrom() {
        return steadyFrom;
      }

      public ProviderName eventProvider() {
        return PM;
      }

      public long eventStart() {
        return start;
      }

      public long eventEnd() {
        return end;
      }
    };
  }

  /** SendGrid's opens drift up from 0.35 to 0.55 over {@code from..to}: it becomes the best. */
  static Scenario drift(long steadyFrom, long from, long to, long seconds) {
    return new Scenario() {
      public String name() {
        return "drift: SendGrid's opens 0.35 → 0.55 over " + (to - from) / 60 + " min (it becomes the best)";
      }

      public long seconds() {
        return seconds;
      }

      public Truth truth(ProviderName p, long t) {
        Truth base = issueRates(p);
        if (p != SG || t < from) {
          return base;
        }
        double x = Math.min(1, (t - from) / (double) (to - from));
        return new Truth(base.delivered(), 0.35 + 0.20 * x, 0);
      }

      public long steadyFrom() {
        return steadyFrom;
      }

      public ProviderName eventProvider() {
        return SG;
      }

      public long eventStart() {
        return from;
      }

      public long eventEnd() {
        return to;
      }
    };
  }

  /** What one run measured. */
  record Result(double learnerValue, double oracleValue, double equalValue, int maxStepChange, double toFloorSeconds,
                double toZeroSeconds, double halfBackSeconds, double allBackSeconds, double bestAfterDriftSeconds,
                long sentAfterCrossing, double complaintsAfterCrossing, double millisPerUpdate, long[] sent) {
  }

  private final WeightParameters params;
  private final long seed;
  private final boolean parent;

  /**
   * @param parent whether each update also reads the snapshot as the provider's record over every
   *               domain group, as an email learner does (here every recipient is in one group, so
   *               the prior is the same data); false: one learner per channel (WhatsApp, Telegram)
   */
  RoutingSimulator(WeightParameters params, long seed, boolean parent) {
    this.params = params;
    this.seed = seed;
    this.parent = parent;
  }

  Result run(Scenario s, Delays d) {
    SplittableRandom random = new SplittableRandom(seed);
    Learner learner = new Learner(Channel.EMAIL, "sim", 1, params);
    WeightCalculator calculator = new WeightCalculator(params);
    SimulatedFeedback feedback = new SimulatedFeedback(360, params.slowHalfLifeMinutes() * 60);
    Map<ProviderName, ProviderInput> inputs = new EnumMap<>(ProviderName.class);
    for (ProviderName p : EMAIL) {
      inputs.put(p, new ProviderInput(p, true, Breaker.CLOSED, 1, StatCounts.ZERO));
    }
    ProviderName watched = s.eventProvider();
    double learnerValue = 0;
    double oracleValue = 0;
    double equalValue = 0;
    int maxStep = 0;
    double toFloor = Double.NaN;
    double toZero = Double.NaN;
    double halfBack = Double.NaN;
    double allBack = Double.NaN;
    double bestAfterDrift = Double.NaN;
    double beforeEvent = 0;
    int beforeCount = 0;
    long firstComplaintArrival = Long.MAX_VALUE;
    long sentAfterCrossing = 0;
    double complaintsAfterCrossing = 0;
    long[] sent = new long[EMAIL.size()];
    long updateNanos = 0;
    long updates = 0;
    Weights last = null;
    for (long t = 0; t < s.seconds(); t += STEP_SECONDS) {
      long now = T0 + t;
      StatsSnapshot snapshot = feedback.snapshot(now);
      long u0 = System.nanoTime();
      Learner.Allocation a = learner.update(snapshot, parent ? snapshot : null, Instant.ofEpochSecond(now));
      updateNanos += System.nanoTime() - u0;
      updates++;
      Weights w = calculator.compute(Channel.EMAIL, DomainGroup.OTHER, a, inputs).weights();
      boolean steady = t >= s.steadyFrom() && (watched == null || t < s.eventStart());
      if (last != null && steady) {
        for (ProviderName p : EMAIL) {
          maxStep = Math.max(maxStep, Math.abs(w.of(p) - last.of(p)));
        }
      }
      last = w;
      if (watched != null) {
        int points = w.of(watched);
        if (t < s.eventStart() && t >= s.steadyFrom()) {
          beforeEvent += points;
          beforeCount++;
        }
        long firstFeedback = s.eventStart() + (long) Math.ceil(d.deliveryMin());
        if (t >= firstFeedback && t < s.eventEnd()) {
          if (Double.isNaN(toFloor) && points <= params.explorationFloor() * 1000 + 1) {
            toFloor = t - firstFeedback;
          }
          if (Double.isNaN(toZero) && points == 0) {
            toZero = t - firstFeedback;
          }
        }
        if (t >= s.eventStart() && Double.isNaN(bestAfterDrift) && points >= 500) {
          bestAfterDrift = t - s.eventStart();
        }
        if (t >= s.eventEnd() && beforeCount > 0) {
          double mean = beforeEvent / beforeCount;
          if (Double.isNaN(halfBack) && points >= mean / 2) {
            halfBack = t - s.eventEnd();
          }
          if (Double.isNaN(allBack) && points >= 0.9 * mean) {
            allBack = t - s.eventEnd();
          }
        }
      }
      Map<ProviderName, Integer> split = w.split(BATCH);
      double stepValue = 0;
      for (int i = 0; i < EMAIL.size(); i++) {
        ProviderName p = EMAIL.get(i);
        int n = split.getOrDefault(p, 0);
        Truth truth = s.truth(p, t);
        sent[i] += n;
        stepValue += n * truth.value();
        if (truth.complained() > 0 && now >= firstComplaintArrival) {
          sentAfterCrossing += n;
          complaintsAfterCrossing += n * truth.complained();
        }
        firstComplaintArrival = Math.min(firstComplaintArrival,
            send(feedback, random, p, now, n, truth, d));
      }
      if (t >= s.steadyFrom() && (watched == null || s.eventEnd() < 0 || t < s.eventStart())) {
        learnerValue += stepValue;
        oracleValue += BATCH * oracle(s, t);
        equalValue += BATCH * equal(s, t);
      }
    }
    if (System.getenv("ESP_SIM_DEBUG") != null) {
      System.out.println(learner.last().line(SG).toJson().encode());
      System.out.println(learner.last().line(PM).toJson().encode());
    }
    return new Result(learnerValue, oracleValue, equalValue, maxStep, toFloor, toZero, halfBack, allBack,
        bestAfterDrift, sentAfterCrossing, complaintsAfterCrossing, updateNanos / 1e6 / updates, sent);
  }

  /** Outcomes of {@code n} sends to p at {@code now}, scheduled to arrive; the first complaint's arrival second. */
  private static long send(SimulatedFeedback f, SplittableRandom r, ProviderName p, long now, int n, Truth truth,
                           Delays d) {
    f.arrive(p, now, SimulatedFeedback.SENT, n);
    long firstComplaint = Long.MAX_VALUE;
    double openGivenDelivered = truth.opened() / truth.delivered();
    double complaintGivenDelivered = truth.complained() / truth.delivered();
    for (int i = 0; i < n; i++) {
      long at = now + Math.round(d.deliveryMin() + r.nextDouble() * (d.deliveryMax() - d.deliveryMin()));
      if (r.nextDouble() >= truth.delivered()) {
        f.arrive(p, at, SimulatedFeedback.BOUNCED, 1);
        continue;
      }
      f.arrive(p, at, SimulatedFeedback.DELIVERED, 1);
      if (r.nextDouble() < openGivenDelivered) {
        f.arrive(p, at + Math.round(-d.openMean() * Math.log(1 - r.nextDouble())), SimulatedFeedback.OPENED, 1);
      }
      if (r.nextDouble() < complaintGivenDelivered) {
        long c = at + Math.round(-d.complaintMean() * Math.log(1 - r.nextDouble()));
        f.arrive(p, c, SimulatedFeedback.COMPLAINED, 1);
        firstComplaint = Math.min(firstComplaint, c);
      }
    }
    return firstComplaint;
  }

  /** The floor-keeping oracle's value per send: the floor to every provider under the limits, the rest to the best. */
  private double oracle(Scenario s, long t) {
    double floor = params.explorationFloor();
    double best = 0;
    double sum = 0;
    int allowed = 0;
    for (ProviderName p : EMAIL) {
      Truth truth = s.truth(p, t);
      if (truth.complained() / truth.delivered() > params.maxComplaintRate()
          || 1 - truth.delivered() > params.maxFailureRate()) {
        continue;
      }
      allowed++;
      sum += floor * truth.value();
      best = Math.max(best, truth.value());
    }
    return sum + (1 - allowed * floor) * best;
  }

  private static double equal(Scenario s, long t) {
    double sum = 0;
    for (ProviderName p : EMAIL) {
      sum += s.truth(p, t).value() / EMAIL.size();
    }
    return sum;
  }

  public static void main(String[] args) {
    List<String> a = List.of(args);
    boolean perChannel = a.contains("--per-channel");
    boolean healOnly = a.contains("--heal");
    long seed = a.stream().filter(x -> !x.startsWith("--")).findFirst().map(Long::parseLong).orElse(12L);
    RoutingSimulator sim = new RoutingSimulator(WeightParameters.DEFAULT, seed, !perChannel);
    long started = System.nanoTime();
    System.out.println("learner: " + (perChannel ? "one per channel, no parent prior (WhatsApp, Telegram)"
        : "email, every recipient in one domain group, the all-groups record as its prior") + "; seed " + seed);
    for (Delays d : new Delays[] {SANDBOX, REALISTIC}) {
      long warm = d == SANDBOX ? 600 : 3 * 3600;
      System.out.println("== feedback delays: " + d.name());
      Scenario block = block(warm, warm + 1800, warm + 1800 + 900, warm + 1800 + 900 + 1800);
      if (healOnly) {
        report(block, sim.run(block, d));
        continue;
      }
      report(steady(warm + 3600, warm), sim.run(steady(warm + 3600, warm), d));
      report(block, sim.run(block, d));
      Scenario drift = drift(warm, warm + 600, warm + 1800, warm + (d == SANDBOX ? 3600 : 4 * 3600));
      report(drift, sim.run(drift, d));
    }
    System.out.printf(Locale.ROOT, "simulated in %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  static void report(Scenario s, Result r) {
    System.out.println("-- " + s.name());
    double regret = 1 - r.learnerValue() / r.oracleValue();
    double gain = (r.learnerValue() - r.equalValue()) / (r.oracleValue() - r.equalValue());
    System.out.printf(Locale.ROOT, "   value vs floor-keeping oracle (steady part): %.2f %% below; %.0f %% of the gain over "
        + "an equal split captured%n", 100 * regret, 100 * gain);
    System.out.printf(Locale.ROOT, "   largest change between consecutive chunks (steady part): %d points%n",
        r.maxStepChange());
    if (s.eventProvider() != null && s.name().startsWith("block")) {
      System.out.printf(Locale.ROOT, "   %s at the floor %s s, at 0 %s s after the first block events; half its share "
          + "back %s s, 90 %% back %s s after it healed%n", s.eventProvider().wire(), fmt(r.toFloorSeconds()),
          fmt(r.toZeroSeconds()), fmt(r.halfBackSeconds()), fmt(r.allBackSeconds()));
    }
    if (s.name().startsWith("drift")) {
      System.out.printf(Locale.ROOT, "   SendGrid has half the traffic %s s after its drift began%n",
          fmt(r.bestAfterDriftSeconds()));
    }
    System.out.printf(Locale.ROOT, "   SparkPost (1 %% complaints): %d sent after its first complaint arrived "
        + "(%.1f complaints expected among them)%n", r.sentAfterCrossing(), r.complaintsAfterCrossing());
    StringBuilder b = new StringBuilder("   sent:");
    for (int i = 0; i < EMAIL.size(); i++) {
      b.append(' ').append(EMAIL.get(i).wire()).append('=').append(r.sent()[i]);
    }
    System.out.println(b.append(String.format(Locale.ROOT, "; learner update %.3f ms", r.millisPerUpdate())));
  }

  private static String fmt(double seconds) {
    return Double.isNaN(seconds) ? "never" : String.format(Locale.ROOT, "%.0f", seconds);
  }
}
