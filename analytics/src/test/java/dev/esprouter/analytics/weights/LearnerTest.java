package dev.esprouter.analytics.weights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.ProviderHealth.Breaker;
import dev.esprouter.common.routing.Weights;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LearnerTest {

  static final ProviderName SG = ProviderName.SENDGRID;
  static final ProviderName PM = ProviderName.POSTMARK;
  static final ProviderName SL = ProviderName.SOCKETLABS;
  static final ProviderName SP = ProviderName.SPARKPOST;
  static final WeightParameters P = WeightParameters.DEFAULT;
  static final WeightCalculator CALC = new WeightCalculator(P);

  /** The issue's four providers for minutes [from, to): delivered and opened rates, SparkPost's complaints. */
  static Feed issue(Feed f, int from, int to, double sparkpostComplaints) {
    return f.minutes(SG, from, to, 6000, 0.03, 0.35, 0).minutes(PM, from, to, 6000, 0.01, 0.45, 0)
        .minutes(SL, from, to, 6000, 0.07, 0.25, 0).minutes(SP, from, to, 6000, 0.10, 0.20, sparkpostComplaints);
  }

  static Weights weights(Learner.Allocation a) {
    return weights(a, Map.of());
  }

  static Weights weights(Learner.Allocation a, Map<ProviderName, Breaker> breakers) {
    Map<ProviderName, ProviderInput> in = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
      in.put(p, new ProviderInput(p, true, breakers.getOrDefault(p, Breaker.CLOSED), 1, StatCounts.ZERO));
    }
    return CALC.compute(Channel.EMAIL, DomainGroup.OTHER, a, in).weights();
  }

  static Learner learner() {
    return new Learner(Channel.EMAIL, "email", 1, P);
  }

  @Test
  @DisplayName("With no data every provider of a channel gets an equal share; a one-provider channel gets 1000")
  void noData() {
    assertThat(weights(learner().update(StatsSnapshot.empty(), Feed.START)).points().values())
        .containsExactly(250, 250, 250, 250);
    Learner telegram = new Learner(Channel.TELEGRAM, "telegram", 1, P);
    Learner.Allocation a = telegram.update(StatsSnapshot.empty(), Feed.START);
    assertThat(a.line(ProviderName.TELEGRAM).share()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("The best provider (value = delivered + opened) takes all but the others' exploration floors")
  void bestTakesMost() {
    Learner l = learner();
    StatsSnapshot s = issue(new Feed(), 0, 60, 0).snapshot();
    Learner.Allocation a = l.update(s, Feed.at(60, 0));
    Weights w = weights(a);
    assertThat(a.line(PM).probabilityOfBest()).isGreaterThan(0.99);
    assertThat(w.of(PM)).isGreaterThanOrEqualTo(845);
    for (ProviderName p : new ProviderName[] {SG, SL, SP}) {
      assertThat(w.of(p)).as(p.wire()).isBetween(49, 51);
    }
  }

  @Test
  @DisplayName("Exploration shrinks as certainty grows: thin evidence spreads traffic beyond the floors")
  void explorationShrinks() {
    Learner thin = learner();
    Weights w = weights(thin.update(new Feed().minute(SG, 0, 30, 0.03, 0.35, 0).minute(PM, 0, 30, 0.01, 0.45, 0)
        .minute(SL, 0, 30, 0.07, 0.25, 0).minute(SP, 0, 30, 0.1, 0.2, 0).snapshot(), Feed.at(1, 0)));
    assertThat(w.of(PM)).isLessThan(800);
    assertThat(w.of(SG)).isGreaterThan(60);
  }

  @Test
  @DisplayName("A complaint rate over the limit (1% > 0.1%) cuts the provider to 0, whatever its value")
  void complaintsCut() {
    Learner l = learner();
    Learner.Allocation a = l.update(issue(new Feed(), 0, 10, 0.01).snapshot(), Feed.at(10, 0));
    assertThat(a.line(SP).gate()).isEqualTo(Gate.State.CUT);
    assertThat(weights(a).of(SP)).isZero();
    assertThat(a.line(SP).gateJson().getString("reason")).startsWith("complaint");
  }

  @Test
  @DisplayName("A cut provider is probed after its back-off (probe share); it reopens only once its probes prove every "
      + "rate under its limit (3,000 clean deliveries for the 0.1 % complaint line)")
  void probeAndReopen() {
    Learner l = learner();
    Feed f = issue(new Feed(), 0, 10, 0.01);
    l.update(f.snapshot(), Feed.at(10, 0));
    // Back-off (30 s) over: probing, with a probe's share.
    Learner.Allocation probing = l.update(f.snapshot(), Feed.at(10, 31));
    assertThat(probing.line(SP).gate()).isEqualTo(Gate.State.PROBING);
    assertThat(weights(probing).of(SP)).isEqualTo(20);
    // 200 clean probes: not enough to prove 0.1 %, still probing.
    f.minute(SP, 11, 200, 0.01, 0.3, 0).minute(SG, 11, 6000, 0.03, 0.35, 0).minute(PM, 11, 6000, 0.01, 0.45, 0)
        .minute(SL, 11, 6000, 0.07, 0.25, 0);
    assertThat(l.update(f.snapshot(), Feed.at(11, 40)).line(SP).gate()).isEqualTo(Gate.State.PROBING);
    f.minute(SP, 12, 3500, 0.01, 0.3, 0).minute(SG, 12, 6000, 0.03, 0.35, 0).minute(PM, 12, 6000, 0.01, 0.45, 0)
        .minute(SL, 12, 6000, 0.07, 0.25, 0);
    Learner.Allocation open = l.update(f.snapshot(), Feed.at(12, 40));
    assertThat(open.line(SP).gate()).isEqualTo(Gate.State.OPEN);
    // Its memory restarted after the cut (at the cut, or at the clean probes where the change detector saw them
    // differ): the 1 % spell no longer counts.
    assertThat(open.line(SP).memory().historyFrom()).isAfter(Feed.at(10, 0));
    assertThat(open.line(SP).estimate().complaint()).isLessThan(0.001);
    assertThat(weights(open).of(SP)).isGreaterThanOrEqualTo(20);
  }

  @Test
  @DisplayName("Probes still over the limit cut again with a doubled back-off")
  void probeFailsBacksOff() {
    Learner l = learner();
    Feed f = issue(new Feed(), 0, 10, 0.01);
    l.update(f.snapshot(), Feed.at(10, 0));
    l.update(f.snapshot(), Feed.at(10, 31));
    f.minute(SP, 11, 400, 0.01, 0.3, 0.02);
    Learner.Allocation again = l.update(f.snapshot(), Feed.at(11, 40));
    assertThat(again.line(SP).gate()).isEqualTo(Gate.State.CUT);
    assertThat(again.line(SP).gateJson().getLong("backoff_ms")).isEqualTo(60_000);
    assertThat(again.line(SP).gateJson().getString("reason")).startsWith("probe: complaint");
  }

  @Test
  @DisplayName("20% blocks on the best provider: change found, cut (over the 10% block limit) within a minute")
  void blockStep() {
    Learner l = learner();
    Feed f = issue(new Feed(), 0, 60, 0);
    l.update(f.snapshot(), Feed.at(60, 0));
    // The first 15 s of minute 60: 1500 sends, 20% blocked.
    f.minute(PM, 60, 1500, 0.2, 0.45, 0);
    Learner.Allocation a = l.update(f.snapshot(), Feed.at(60, 15));
    assertThat(a.line(PM).memory().change()).isNotNull();
    assertThat(a.line(PM).gate()).isEqualTo(Gate.State.CUT);
    assertThat(weights(a).of(PM)).isZero();
  }

  @Test
  @DisplayName("When the best provider changes, no share moves more than 80 points between updates")
  void boundedMoves() {
    Learner l = learner();
    Feed f = issue(new Feed(), 0, 60, 0);
    Weights before = weights(l.update(f.snapshot(), Feed.at(60, 0)));
    // SendGrid's opens jump above Postmark's: it becomes the best; the split moves, in bounded steps.
    f.minutes(SG, 60, 70, 6000, 0.01, 0.9, 0).minutes(PM, 60, 70, 6000, 0.01, 0.45, 0)
        .minutes(SL, 60, 70, 6000, 0.07, 0.25, 0).minutes(SP, 60, 70, 6000, 0.10, 0.20, 0);
    int largest = 0;
    for (int t = 0; t < 120; t++) {
      Weights w = weights(l.update(f.snapshot(), Feed.at(70, 2 * t)));
      for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
        largest = Math.max(largest, Math.abs(w.of(p) - before.of(p)));
      }
      before = w;
    }
    assertThat(largest).isLessThanOrEqualTo(81);
    assertThat(before.of(SG)).isGreaterThan(800);
  }

  @Test
  @DisplayName("A half-open breaker gets a probe share, not its learned share; an open one nothing")
  void halfOpenProbes() {
    Learner l = learner();
    Learner.Allocation a = l.update(issue(new Feed(), 0, 60, 0).snapshot(), Feed.at(60, 0));
    Weights w = weights(a, Map.of(PM, Breaker.HALF_OPEN, SP, Breaker.OPEN));
    assertThat(w.of(PM)).isEqualTo(20);
    assertThat(w.of(SG)).isEqualTo(490);
    assertThat(w.of(SP)).isZero();
    assertThat(w.points().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
  }

  @Test
  @DisplayName("Recipient-side bounces never count against a provider")
  void recipientSide() {
    Learner l = learner();
    StatsSnapshot s = new StatsSnapshot(Map.of(), Feed.START, java.util.List.of(
        new StatsSnapshot.Bucket(SG, Feed.START.getEpochSecond() / 60, new StatCounts(5000, 3000, 1200, 0, 0, 30, 1900,
            0, 0, 70)),
        new StatsSnapshot.Bucket(PM, Feed.START.getEpochSecond() / 60, new StatCounts(3030, 3000, 1200, 0, 0, 30, 0,
            0, 0, 0))));
    Learner.Allocation a = l.update(s, Feed.at(1, 0));
    assertThat(a.line(SG).estimate().failure()).isEqualTo(a.line(PM).estimate().failure());
  }


  static GroupedStats.GroupBucket gb(DomainGroup g, ProviderName p, int minute, long n, double failure, double open) {
    long failures = Math.round(n * failure);
    long delivered = n - failures;
    return new GroupedStats.GroupBucket(g, new StatsSnapshot.Bucket(p, Feed.START.getEpochSecond() / 60 + minute,
        new StatCounts(n, delivered, Math.round(delivered * open), 0, 0, failures, 0, 0, 0, 0)));
  }

  @Test
  @DisplayName("Per domain group: Postmark blocked only at Microsoft loses only Microsoft traffic; a group with no data "
      + "of its own follows each provider's record over every group")
  void perDomainGroup() {
    java.util.List<GroupedStats.GroupBucket> buckets = new java.util.ArrayList<>();
    for (int m = 0; m < 30; m++) {
      for (DomainGroup g : new DomainGroup[] {DomainGroup.GMAIL, DomainGroup.MICROSOFT}) {
        buckets.add(gb(g, SG, m, 3000, 0.03, 0.35));
        buckets.add(gb(g, SL, m, 3000, 0.07, 0.25));
        buckets.add(gb(g, SP, m, 3000, 0.10, 0.20));
        buckets.add(gb(g, PM, m, 3000, g == DomainGroup.MICROSOFT && m >= 20 ? 0.25 : 0.01, 0.45));
      }
    }
    GroupedStats s = GroupedStats.of(java.util.List.of(), Feed.START, buckets);
    java.time.Instant now = Feed.at(30, 0);
    Learner gmail = new Learner(Channel.EMAIL, "email/gmail", 1, P);
    Learner microsoft = new Learner(Channel.EMAIL, "email/microsoft", 2, P);
    Learner apple = new Learner(Channel.EMAIL, "email/apple", 3, P);
    Learner.Allocation ms = microsoft.update(s.group(DomainGroup.MICROSOFT), s.all(), now);
    Learner.Allocation gm = gmail.update(s.group(DomainGroup.GMAIL), s.all(), now);
    Learner.Allocation ap = apple.update(s.group(DomainGroup.APPLE), s.all(), now);
    assertThat(ms.line(PM).gate()).isEqualTo(Gate.State.CUT);
    assertThat(weights(ms).of(PM)).isZero();
    assertThat(gm.line(PM).gate()).isEqualTo(Gate.State.OPEN);
    assertThat(weights(gm).of(PM)).isGreaterThan(800);
    // Apple has no data: each provider's overall record speaks for it (Postmark's since Microsoft's blocks began,
    // half of its traffic blocked); 200 observations' worth is not evidence enough to cut it there.
    assertThat(ap.line(PM).estimate().failure()).isBetween(0.1, 0.15);
    assertThat(ap.line(PM).gate()).isEqualTo(Gate.State.OPEN);
    assertThat(ap.line(SG).estimate().open()).isCloseTo(0.35, org.assertj.core.data.Offset.offset(0.03));
  }

  // A provider cut for a limit and reopened by probes that proved the rate back under the limit is
  // judged on what came after the cut, not on the spell the probes disproved (WeightLoopTest's
  // SendGrid: reopened, then kept at the floor by memories still holding its 20 % blocks, the
  // all-groups prior included). Each row: an hour of the issue's rates, then one minute in which
  // Postmark (the best) crosses a limit, then its clean rates again; traffic follows the learned
  // split every minute (the minute's feedback in by its first update, three updates a minute). The
  // first row passed before too (its busy probes differ enough from the spell for the change detector
  // to restart the memory); the others failed: thin probes, or a parent prior still holding the spell.

  /**
   * One reopen case.
   *
   * @param group        the group whose learner is watched; the spell is only there
   * @param parent       whether the learner reads the record over every group as its prior (email does)
   * @param otherGroup   a second group with the same traffic, always clean (null: none)
   * @param perMinute    recipients a minute in the watched group
   * @param failure      Postmark's provider-side failure rate in the spell minute
   * @param complaint    Postmark's complaint rate in the spell minute
   */
  record ReopenRow(String name, DomainGroup group, boolean parent, DomainGroup otherGroup, long perMinute,
                   double failure, double complaint, SenderMetric cutFor) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<ReopenRow> reopenRows() {
    return Stream.of(
        new ReopenRow("20 % blocks, one learner per channel (WhatsApp, Telegram)",
            DomainGroup.OTHER, false, null, 6000, 0.2, 0, SenderMetric.FAILURE),
        new ReopenRow("20 % blocks, email with every recipient in one group (the parent is the same data)",
            DomainGroup.OTHER, true, null, 6000, 0.2, 0, SenderMetric.FAILURE),
        new ReopenRow("20 % blocks at Microsoft only, Gmail clean (the parent holds both)",
            DomainGroup.MICROSOFT, true, DomainGroup.GMAIL, 6000, 0.2, 0, SenderMetric.FAILURE),
        new ReopenRow("50 % blocks, a thin group (600 a minute: 12 probes a minute)",
            DomainGroup.OTHER, true, null, 600, 0.5, 0, SenderMetric.FAILURE),
        new ReopenRow("1 % complaints (ten times the line), 60,000 a minute",
            DomainGroup.OTHER, true, null, 60_000, 0.01, 0.01, SenderMetric.COMPLAINT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reopenRows")
  @DisplayName("Reopened by its probes, a provider is judged on the probe-era evidence: not cut again, not held at the "
      + "floor by the spell before its cut; half its share back within 5 minutes of the reopen")
  void reopenedJudgedOnProbes(ReopenRow row) {
    World w = new World(row);
    for (int m = 0; m < 60; m++) {
      w.minute(m, null, row.perMinute() / 4.0);
    }
    int before = w.weights(w.learner.update(w.group(), w.all(), Feed.at(60, 0))).of(PM);
    assertThat(before).as("Postmark, the best, before the spell").isGreaterThan(700);

    Instant cutAt = null;
    Instant reopenedAt = null;
    Learner.Allocation a = w.learner.last();
    for (int m = 60; m < 80 && (reopenedAt == null || w.at(m, 0).isBefore(reopenedAt.plusSeconds(300))); m++) {
      w.minute(m, a, 0);
      for (int sec : new int[] {20, 40, 60}) {
        Instant now = w.at(m, sec);
        a = w.update(now);
        Learner.Line pm = a.line(PM);
        if (cutAt == null && pm.gate() == Gate.State.CUT) {
          cutAt = now;
          assertThat(pm.gateJson().getString("reason")).startsWith(row.cutFor().wire());
        }
        if (cutAt != null && reopenedAt == null && pm.gate() == Gate.State.OPEN) {
          reopenedAt = now;
          // Judged on what came after the cut: the memory starts at the cut, the rate is the probes'.
          assertThat(pm.memory().historyFrom()).as("memory start").isAfterOrEqualTo(w.at(60, 0));
          assertThat(pm.estimate().rate(row.cutFor())).as("estimate of %s", row.cutFor().wire())
              .isLessThan(P.limit(row.cutFor()) / 2);
        }
        if (reopenedAt != null) {
          assertThat(pm.gate()).as("gate %s after the reopen at %s", now, reopenedAt).isEqualTo(Gate.State.OPEN);
        }
      }
    }
    assertThat(cutAt).as("cut").isNotNull();
    assertThat(reopenedAt).as("reopened").isNotNull();
    assertThat(w.weights(a).of(PM)).as("Postmark 5 min after its reopen, against %d before the spell: %s", before,
        a.line(PM).toJson().encode()).isGreaterThanOrEqualTo(before / 2);
  }

  /** The rows' traffic: buckets per group and minute, the watched group's learner, the split it learned. */
  static final class World {
    final ReopenRow row;
    final Learner learner;
    final List<GroupedStats.GroupBucket> buckets = new ArrayList<>();
    GroupedStats stats = GroupedStats.empty();

    World(ReopenRow row) {
      this.row = row;
      this.learner = new Learner(Channel.EMAIL, "email/" + row.group().wire(), 1, P);
    }

    Instant at(int minute, int second) {
      return Feed.at(minute, second);
    }

    /** Minute m's traffic: by the split of {@code a} (null: {@code even} each), Postmark's spell in minute 60. */
    void minute(int m, Learner.Allocation a, double even) {
      Weights w = a == null ? null : weights(a);
      for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
        long n = a == null ? Math.round(even) : Math.round(row.perMinute() * w.of(p) / 1000.0);
        double[] rates = truth(p);
        boolean spell = p == PM && m == 60;
        add(row.group(), p, m, n, spell ? row.failure() : rates[0], rates[1], spell ? row.complaint() : rates[2]);
        if (row.otherGroup() != null) {
          add(row.otherGroup(), p, m, a == null ? Math.round(even) : Math.round(row.perMinute() / 4.0), rates[0],
              rates[1], rates[2]);
        }
      }
      stats = GroupedStats.of(List.of(), Feed.START, buckets);
    }

    /** The issue's providers: failure, open, complaint rates (SparkPost's complaints left out: not under test). */
    static double[] truth(ProviderName p) {
      return switch (p) {
        case SENDGRID -> new double[] {0.03, 0.35, 0};
        case POSTMARK -> new double[] {0.01, 0.45, 0};
        case SOCKETLABS -> new double[] {0.07, 0.25, 0};
        default -> new double[] {0.10, 0.20, 0};
      };
    }

    void add(DomainGroup g, ProviderName p, int minute, long n, double failure, double open, double complaint) {
      long failures = Math.round(n * failure);
      long delivered = n - failures;
      buckets.add(new GroupedStats.GroupBucket(g, new StatsSnapshot.Bucket(p, Feed.START.getEpochSecond() / 60 + minute,
          new StatCounts(n, delivered, Math.round(delivered * open), 0, 0, failures, 0,
              Math.round(delivered * complaint), 0, 0))));
    }

    StatsSnapshot group() {
      return stats.group(row.group());
    }

    StatsSnapshot all() {
      return row.parent() ? stats.all() : null;
    }

    Learner.Allocation update(Instant now) {
      return learner.update(group(), all(), now);
    }

    Weights weights(Learner.Allocation a) {
      return CALC.compute(Channel.EMAIL, row.group(), a, Map.of()).weights();
    }
  }
}
