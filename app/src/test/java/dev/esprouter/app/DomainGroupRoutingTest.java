package dev.esprouter.app;

import static dev.esprouter.app.LearningRouter.EMAIL;
import static dev.esprouter.app.LearningRouter.gate;
import static dev.esprouter.app.LearningRouter.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, item 5 end to end: weights per recipient-domain group. Batches mix Gmail and Microsoft
 * (outlook.com, hotmail.com) recipients; SendGrid, the strongest provider, starts being blocked
 * provider-side (5.7.1) for a quarter of its Microsoft mail only (the sandbox's
 * {@code outcomes_by_domain}), and loses the Microsoft traffic while it keeps the Gmail traffic.
 * Same set-up as {@link WeightLoopTest} ({@link LearningRouter}): every role in one process, the real broker and PostgreSQL,
 * the sandbox posting its webhooks back. The tests run in order on one growing history.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Weights per recipient-domain group: a provider blocked only at Microsoft loses only Microsoft's traffic")
class DomainGroupRoutingTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final String KEY = "esk_live_domaingroupkeyfortests00000000000000";
  private static final ProviderName SG = ProviderName.SENDGRID;
  /** One chunk: half Gmail, half Microsoft (outlook.com and hotmail.com alternating). */
  private static final int BATCH = 500;
  private static final int PER_GROUP = BATCH / 2;
  private static final int PROBE_POINTS = 50;
  private static final Logger log = LoggerFactory.getLogger(DomainGroupRoutingTest.class);

  private static LearningRouter router;
  private static int batches;
  private static long accepted;

  @BeforeAll
  static void start() {
    router = LearningRouter.start(env, 12, KEY);
    // Every provider delivers alike everywhere; SendGrid's recipients open most, so it leads in both groups.
    for (ProviderName p : EMAIL) {
      router.profile(p, new JsonObject().put("latency_ms", new JsonObject().put("p50", 2).put("p99", 10))
          .put("webhook_delay_ms", 100)
          .put("outcomes", new JsonObject().put("blocked", 0.01).put("bounced", 0.0).put("soft_bounced", 0.0)
              .put("dropped", 0.0).put("complained", 0.0).put("opened", p == SG ? 0.4 : 0.2).put("clicked", 0.03)));
    }
  }

  @AfterAll
  static void stop() {
    if (router != null) {
      router.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("while it is clean everywhere, SendGrid (opened most) leads at Gmail and at Microsoft")
  void strongEverywhere() {
    for (int i = 0; i < 12 && !(leads(DomainGroup.GMAIL) && leads(DomainGroup.MICROSOFT)); i++) {
      sendBatchAndAwaitStats();
    }
    for (DomainGroup g : List.of(DomainGroup.GMAIL, DomainGroup.MICROSOFT)) {
      JsonObject e = explain(g);
      assertThat(gate(e, SG)).as(g.wire()).isEqualTo("open");
      assertThat(leads(g)).as(g.wire() + ": " + e.getJsonObject("weights").encode()).isTrue();
    }
  }

  @Test
  @Order(2)
  @DisplayName("blocked provider-side for 25% of Microsoft's recipients only, SendGrid is cut at Microsoft and keeps "
      + "more than an equal share at Gmail")
  void blockedAtMicrosoftOnly() {
    router.profile(SG, new JsonObject().put("outcomes_by_domain",
        new JsonObject().put("microsoft", new JsonObject().put("blocked", 0.25))));
    JsonObject ms = explain(DomainGroup.MICROSOFT);
    for (int i = 0; i < 8 && gate(ms, SG).equals("open"); i++) {
      sendBatchAndAwaitStats();
      ms = explain(DomainGroup.MICROSOFT);
    }
    JsonObject sgAtMs = line(ms, SG);
    assertThat(gate(ms, SG)).as(ms.encode()).isNotEqualTo("open");
    assertThat(sgAtMs.getInteger("weight")).as(ms.encode()).isLessThanOrEqualTo(PROBE_POINTS);
    assertThat(sgAtMs.getJsonObject("learned").getJsonObject("gate").getString("reason")).startsWith("failure");
    assertThat(sgAtMs.getJsonObject("window").getLong("bounced")).as("blocks counted provider-side at Microsoft")
        .isGreaterThan(10);
    assertThat(sgAtMs.getJsonObject("window").getLong("bounced_recipient")).isZero();

    JsonObject gm = explain(DomainGroup.GMAIL);
    assertThat(gate(gm, SG)).as(gm.encode()).isEqualTo("open");
    assertThat(line(gm, SG).getInteger("weight")).as(gm.encode()).isGreaterThan(250);
    assertThat(line(gm, SG).getJsonObject("rates").getDouble("failure")).as("Gmail's own failure rate")
        .isLessThan(0.05);
  }

  @Test
  @Order(3)
  @DisplayName("the sandbox's record: later batches send SendGrid at most a probe's share of the Microsoft recipients "
      + "and still over a quarter of the Gmail ones")
  void laterBatchesSplitByGroup() {
    Map<DomainGroup, Long> before = sandboxByGroup(SG);
    int n = 2;
    for (int i = 0; i < n; i++) {
      sendBatchAndAwaitStats();
    }
    Map<DomainGroup, Long> after = sandboxByGroup(SG);
    long microsoft = after.get(DomainGroup.MICROSOFT) - before.get(DomainGroup.MICROSOFT);
    long gmail = after.get(DomainGroup.GMAIL) - before.get(DomainGroup.GMAIL);
    log.info("SendGrid got {} of {} Microsoft and {} of {} Gmail recipients", microsoft, n * PER_GROUP, gmail,
        n * PER_GROUP);
    // Largest remainder in one chunk per batch: a probe's share rounds up by at most one.
    assertThat(microsoft).as("Microsoft recipients at SendGrid").isLessThanOrEqualTo(
        (long) n * (PER_GROUP * PROBE_POINTS / 1000 + 1));
    assertThat(gmail).as("Gmail recipients at SendGrid").isGreaterThan(n * PER_GROUP / 4);
    JsonObject ms = explain(DomainGroup.MICROSOFT);
    assertThat(gate(ms, SG)).as("still blocked, still not open: " + ms.encode()).isNotEqualTo("open");
  }

  // --- helpers

  /** SendGrid has the most points of the group (ties broken against it). */
  private static boolean leads(DomainGroup g) {
    JsonObject e = explain(g);
    int sg = line(e, SG).getInteger("weight");
    return EMAIL.stream().filter(p -> p != SG).allMatch(p -> line(e, p).getInteger("weight") < sg);
  }

  /** One batch of new Gmail and Microsoft addresses, then waits until every recipient's fate is in the stats. */
  private static void sendBatchAndAwaitStats() {
    int n = ++batches;
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < BATCH; i++) {
      String domain = i % 2 == 0 ? "gmail.com" : i % 4 == 1 ? "outlook.com" : "hotmail.com";
      recipients.add(new JsonObject().put("to", "u" + i + ".b" + n + "@" + domain)
          .put("data", new JsonObject().put("name", "U" + i)));
    }
    JsonObject body = new JsonObject().put("channel", "email").put("from", "Shop <noreply@shop.example>")
        .put("subject", "Hi {{name}}").put("html", "<p>Hi {{name}}</p>").put("priority", "normal")
        .put("recipients", recipients);
    accepted += router.sendBatch(body);
    awaitCondition("batch " + n + " sent", 120, () -> sandboxMessages() >= accepted);
    long sent = sandboxMessages();
    awaitCondition("every fate of batch " + n + " in the weights' windows", 120, () -> fates() >= sent);
    log.info("after batch {}: gmail {} microsoft {}", n, explain(DomainGroup.GMAIL).getJsonObject("weights").encode(),
        explain(DomainGroup.MICROSOFT).getJsonObject("weights").encode());
  }

  /** Recipients whose final fate the Gmail and Microsoft windows have counted (each recipient has exactly one). */
  private static long fates() {
    long sum = 0;
    for (DomainGroup g : List.of(DomainGroup.GMAIL, DomainGroup.MICROSOFT)) {
      JsonObject e = explain(g);
      for (ProviderName p : EMAIL) {
        JsonObject w = line(e, p).getJsonObject("window");
        for (String k : List.of("delivered", "deferred", "bounced", "bounced_recipient", "failed", "failed_recipient")) {
          sum += w.getLong(k);
        }
      }
    }
    return sum;
  }

  private static JsonObject explain(DomainGroup g) {
    return router.get("/v1/routing/explain?channel=email&domain_group=" + g.wire());
  }

  private static long sandboxMessages() {
    JsonObject all = router.sandboxStats();
    return EMAIL.stream().mapToLong(p -> all.getJsonObject(p.wire()).getLong("messages")).sum();
  }

  private static Map<DomainGroup, Long> sandboxByGroup(ProviderName p) {
    JsonObject byGroup = router.sandboxStats().getJsonObject(p.wire()).getJsonObject("messages_by_group");
    Map<DomainGroup, Long> m = new HashMap<>();
    for (DomainGroup g : DomainGroup.values()) {
      m.put(g, byGroup.getLong(g.wire()));
    }
    return m;
  }

  private static void awaitCondition(String what, int seconds, BooleanSupplier done) {
    LearningRouter.await(what, seconds, done, () -> fates() + " fates counted, " + accepted
        + " accepted; gmail " + explain(DomainGroup.GMAIL).encode() + "; microsoft "
        + explain(DomainGroup.MICROSOFT).encode());
  }
}
