package dev.esprouter.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The feeder hands campaigns to the pipeline: each recipient once, paused, resumed, cancelled, scheduled")
class CampaignFeederTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();
  static SandboxServer sandbox;
  static CampaignHarness h;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(13));
    quiet();
    Map<String, String> o = new HashMap<>();
    for (ProviderName p : ProviderName.values()) {
      o.put(p.envPrefix() + "_BASE_URL", sandbox.baseUrl(p));
      o.put(p.envPrefix() + "_RATE_PER_SEC", "2000");
      o.put(p.envPrefix() + "_BURST", "500");
    }
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_ROLES", "ingress,campaigns,router,analytics");
    o.put("ESP_ROUTING_WEIGHTS", "fixed");
    o.put("ESP_PRIOR_WEIGHTS_EMAIL", "sendgrid:400,postmark:300,socketlabs:200,sparkpost:100");
    o.put("ESP_CAMPAIGN_FEEDER_TICK_MS", "100");
    o.put("ESP_CAMPAIGN_GATE_CACHE_MS", "200");
    h = CampaignHarness.start(env, o, new AnalyticsRole(), new RouterRole());
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.reset();
    quiet();
  }

  private static void quiet() {
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("webhooks", false));
    }
  }

  static String csv(String prefix, int n) {
    StringBuilder b = new StringBuilder("email,name\n");
    for (int i = 0; i < n; i++) {
      b.append(prefix).append(i).append("@example.com,N").append(i).append('\n');
    }
    return b.toString();
  }

  static long accepted() {
    return ProviderName.of(Channel.EMAIL).stream().mapToLong(p -> sandbox.stats().of(p).messages()).sum();
  }

  static JsonObject campaign(String id) {
    return h.get("/v1/campaigns/" + id).bodyAsJsonObject();
  }

  static void await(String what, int seconds, BooleanSupplier done) {
    await(what, seconds, done, () -> "");
  }

  /** Waits for {@code done}; on time-out the message carries {@code why}, what was stuck. */
  static void await(String what, int seconds, BooleanSupplier done, java.util.function.Supplier<String> why) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; " + why.get());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The feeder's and the router's view of a campaign that did not finish, for the failure message. */
  static String stuck(String id) {
    StringBuilder b = new StringBuilder("campaign ");
    h.query("select state, recipients, last_seq, fed_seq, pending_seq, fed, chunks_fed, lease_owner, lease_until "
        + "from campaigns where id = $1", Tuple.of(id)).forEach(r -> b.append(r.toJson().encode()));
    b.append(" counters ");
    h.query("select status, provider, n from batch_counters where batch_id = $1 and n <> 0", Tuple.of(id))
        .forEach(r -> b.append(r.toJson().encode()));
    b.append(" message statuses ");
    h.query("select status, count(*) from message_status where batch_id = $1 group by status", Tuple.of(id))
        .forEach(r -> b.append(r.toJson().encode()));
    b.append(" parked ");
    h.query("select due_at, topic, key from scheduled_chunks", Tuple.tuple())
        .forEach(r -> b.append(r.toJson().encode()));
    b.append(" accepted ").append(accepted());
    return b.toString();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String started(JsonObject body, String list) {
    String id = h.post("/v1/campaigns", body).bodyAsJsonObject().getString("id");
    assertThat(h.upload(id, list).statusCode()).isEqualTo(200);
    assertThat(h.post("/v1/campaigns/" + id + "/start", null).statusCode()).isEqualTo(200);
    return id;
  }

  @Test
  @DisplayName("every valid unique address reaches a provider exactly once, split by weight; totals and messages follow")
  void sendsOnce() {
    String list = csv("once", 1500) + "once7@example.com,dup\nnot-an-address,x\nONCE8@example.com,dup\n";
    String id = started(CampaignHarness.email("once"), list);
    await("completed", 90, () -> "completed".equals(campaign(id).getString("state")));
    assertThat(accepted()).isEqualTo(1500);
    assertThat(sandbox.stats().duplicates()).isZero();
    for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
      assertThat(sandbox.stats().of(p).messages()).as(p.wire()).isPositive();
    }
    assertThat(sandbox.stats().of(ProviderName.SENDGRID).messages())
        .isGreaterThan(sandbox.stats().of(ProviderName.SPARKPOST).messages());
    JsonObject c = campaign(id);
    assertThat(c.getJsonObject("totals").getLong("sent")).isEqualTo(1500);
    assertThat(c.getJsonObject("totals").getLong("queued")).isZero();
    assertThat(c.getJsonObject("list").getLong("duplicates")).isEqualTo(2);
    assertThat(c.getJsonObject("by_provider").fieldNames()).hasSize(4);
    assertThat(c.getJsonArray("transitions").stream().map(t -> ((JsonObject) t).getString("state")))
        .containsExactly("draft", "sending", "completed");
    JsonObject page = h.get("/v1/campaigns/" + id + "/messages?limit=1000").bodyAsJsonObject();
    assertThat(page.getJsonArray("data")).hasSize(1000);
    JsonObject rest = h.get("/v1/campaigns/" + id + "/messages?limit=1000&after=" + page.getString("next_after"))
        .bodyAsJsonObject();
    assertThat(rest.getJsonArray("data")).hasSize(500);
    assertThat(rest.getJsonArray("data").getJsonObject(0).getString("status")).isEqualTo("sent");
  }

  @Test
  @DisplayName("pause: the providers' count stops rising within 5 s; resume: the rest goes, nobody twice")
  void pauseResume() {
    String id = started(CampaignHarness.email("paused").put("max_rate_per_sec", 300), csv("pause", 3000));
    await("some sent", 30, () -> accepted() >= 400);
    assertThat(h.post("/v1/campaigns/" + id + "/pause", null).bodyAsJsonObject().getString("state"))
        .isEqualTo("paused");
    sleep(3000);
    long atPause = accepted();
    sleep(2000);
    assertThat(accepted()).isEqualTo(atPause).isLessThan(3000);
    assertThat(h.post("/v1/campaigns/" + id + "/resume", null).bodyAsJsonObject().getString("state"))
        .isEqualTo("sending");
    await("completed", 90, () -> "completed".equals(campaign(id).getString("state")), () -> stuck(id));
    assertThat(accepted()).isEqualTo(3000);
    assertThat(sandbox.stats().duplicates()).isZero();
    // Held back by its rate, it is fed a tick's worth at a time (30 at 300/s and 100 ms), not a recipient
    // or two each time a token comes (which made over a thousand chunks of this list).
    assertThat(h.count("select chunks_fed from campaigns where id = $1", Tuple.of(id))).isLessThanOrEqualTo(300);
  }

  @Test
  @DisplayName("the tenant's rate_limit_per_sec caps feeding over all its campaigns together, each getting a share")
  void tenantRate() {
    String[] t = h.newTenant("slow-tenant");
    h.call(io.vertx.core.http.HttpMethod.PATCH, "/admin/tenants/" + t[0], CampaignHarness.ADMIN_TOKEN,
        new JsonObject().put("rate_limit_per_sec", 100).toBuffer(), Map.of("content-type", "application/json"));
    String[] ids = new String[2];
    for (int i = 0; i < 2; i++) {
      ids[i] = h.post("/v1/campaigns", t[1], CampaignHarness.email("slow" + i)).bodyAsJsonObject().getString("id");
      assertThat(h.call(io.vertx.core.http.HttpMethod.POST, "/v1/campaigns/" + ids[i] + "/recipients", t[1],
          io.vertx.core.buffer.Buffer.buffer(csv("slow" + i + "-", 400)), Map.of("content-type", "text/csv"))
          .statusCode()).isEqualTo(200);
    }
    long from = System.nanoTime();
    for (String id : ids) {
      assertThat(h.post("/v1/campaigns/" + id + "/start", t[1], null).statusCode()).isEqualTo(200);
    }
    sleep(3000);
    long[] fed = new long[2];
    for (int i = 0; i < 2; i++) {
      fed[i] = h.count("select fed + coalesce(pending_seq - fed_seq, 0) from campaigns where id = $1",
          Tuple.of(ids[i]));
    }
    double seconds = (System.nanoTime() - from) / 1e9;
    // Unlimited, the 800 recipients are all fed within a second. At 100/s (the bucket starts empty and
    // holds a second's worth) at most 100 a second since the first start, plus a chunk's rounding.
    assertThat(fed[0] + fed[1]).as("fed in %.1f s", seconds).isLessThanOrEqualTo((long) (100 * seconds) + 20);
    assertThat(fed[0]).as("each campaign gets a share").isPositive();
    assertThat(fed[1]).as("each campaign gets a share").isPositive();
    for (String id : ids) {
      await("completed", 60, () -> "completed".equals(h.get("/v1/campaigns/" + id, t[1]).bodyAsJsonObject()
          .getString("state")), () -> stuck(id));
    }
    assertThat(accepted()).isEqualTo(800);
  }

  @Test
  @DisplayName("cancel: nothing more reaches a provider and every recipient not sent ends cancelled")
  void cancel() {
    String id = started(CampaignHarness.email("cancelled").put("max_rate_per_sec", 300), csv("cancel", 3000));
    await("some sent", 30, () -> accepted() >= 300);
    assertThat(h.post("/v1/campaigns/" + id + "/cancel", null).bodyAsJsonObject().getString("state"))
        .isEqualTo("cancelled");
    sleep(2000);
    long atCancel = accepted();
    sleep(2000);
    assertThat(accepted()).isEqualTo(atCancel).isLessThan(3000);
    await("every recipient sent or cancelled", 30, () -> {
      JsonObject t = campaign(id).getJsonObject("totals");
      return t.getLong("sent") + t.getLong("cancelled") == 3000;
    });
    assertThat(campaign(id).getJsonObject("totals").getLong("sent")).isEqualTo(atCancel);
  }

  @Test
  @DisplayName("send_at: scheduled until then, nothing sent before, then it goes and completes")
  void sendAt() {
    Instant at = Instant.now().plusSeconds(4);
    String id = started(CampaignHarness.email("later").put("send_at", at.toString()), csv("later", 200));
    assertThat(campaign(id).getString("state")).isEqualTo("scheduled");
    sleep(2000);
    assertThat(accepted()).isZero();
    await("completed", 60, () -> "completed".equals(campaign(id).getString("state")));
    JsonObject c = campaign(id);
    assertThat(Instant.parse(c.getString("started_at"))).isAfterOrEqualTo(at.minusMillis(1));
    assertThat(c.getJsonArray("transitions").stream().map(t -> ((JsonObject) t).getString("state")))
        .containsExactly("draft", "scheduled", "sending", "completed");
    assertThat(accepted()).isEqualTo(200);
  }

  @Test
  @DisplayName("a feeder that died between publishing and moving its cursor: the chunks are published again, "
      + "the same, and the router's ledger sends nobody twice")
  void republished() {
    String id = started(CampaignHarness.email("again"), csv("again", 1000));
    await("completed", 60, () -> "completed".equals(campaign(id).getString("state")));
    assertThat(accepted()).isEqualTo(1000);
    // As if the feeder had died with its first chunk published and its cursor at the start.
    h.query("update campaigns set state = 'sending', fed_seq = 0, pending_seq = 500, pending_index = 0, fed = 0, "
        + "chunks_fed = 0, lease_owner = 'a-feeder-that-died', lease_until = now() - interval '1 second', "
        + "completed_at = null where id = $1", Tuple.of(id));
    await("completed again", 60, () -> "completed".equals(campaign(id).getString("state")));
    assertThat(h.count("select fed from campaigns where id = $1", Tuple.of(id))).isEqualTo(1000);
    sleep(1000);
    assertThat(accepted()).isEqualTo(1000);
    assertThat(sandbox.stats().duplicates()).isZero();
    JsonArray pages = h.get("/v1/campaigns/" + id + "/messages?limit=1000").bodyAsJsonObject().getJsonArray("data");
    assertThat(pages).hasSize(1000);
  }
}
