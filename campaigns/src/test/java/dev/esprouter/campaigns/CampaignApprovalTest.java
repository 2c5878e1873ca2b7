package dev.esprouter.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A tenant that requires approval: a started campaign waits in pending_approval for an operator")
class CampaignApprovalTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();
  static CampaignHarness h;
  static String tenant;
  static String key;

  @BeforeAll
  static void start() {
    h = CampaignHarness.start(env, Map.of("ESP_CAMPAIGN_FEEDER_TICK_MS", "50"));
    String[] t = h.newTenant("approved-only");
    tenant = t[0];
    key = t[1];
    HttpResponse<Buffer> r = h.call(HttpMethod.PATCH, "/admin/tenants/" + tenant, CampaignHarness.ADMIN_TOKEN,
        new JsonObject().put("campaign_approval_required", true).toBuffer(), Map.of("content-type", "application/json"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getBoolean("campaign_approval_required")).isTrue();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  /** A draft of the approving tenant with two recipients. */
  private static String uploaded(String name) {
    HttpResponse<Buffer> r = h.post("/v1/campaigns", key, CampaignHarness.email(name));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    String id = r.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> up = h.call(HttpMethod.POST, "/v1/campaigns/" + id + "/recipients", key,
        Buffer.buffer("email\na@example.com\nb@example.com\n"), Map.of("content-type", "text/csv"));
    assertThat(up.statusCode()).as(up.bodyAsString()).isEqualTo(200);
    return id;
  }

  private static HttpResponse<Buffer> approve(String tenantId, String id, String token) {
    return h.post("/admin/tenants/" + tenantId + "/campaigns/" + id + "/approve", token, null);
  }

  private static JsonObject started(String id) {
    HttpResponse<Buffer> r = h.post("/v1/campaigns/" + id + "/start", key, null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  @Test
  @DisplayName("start → pending_approval, nothing fed; approve → sending as start would have; each step in the history")
  void approveStarts() throws InterruptedException {
    String id = uploaded("needs-ok");
    assertThat(started(id).getString("state")).isEqualTo("pending_approval");
    Thread.sleep(500); // ten feeder ticks: a campaign awaiting approval is not claimed
    assertThat(h.count("select fed + coalesce(pending_seq, 0) from campaigns where id = $1", Tuple.of(id))).isZero();
    assertThat(h.get("/v1/campaigns?state=pending_approval", key).bodyAsJsonObject().getJsonArray("data")
        .stream().map(c -> ((JsonObject) c).getString("id"))).contains(id);
    HttpResponse<Buffer> r = approve(tenant, id, CampaignHarness.ADMIN_TOKEN);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("sending");
    assertThat(h.get("/v1/campaigns/" + id, key).bodyAsJsonObject().getJsonArray("transitions").stream()
        .map(t -> ((JsonObject) t).getString("state"))).startsWith("draft", "pending_approval", "sending");
    HttpResponse<Buffer> again = approve(tenant, id, CampaignHarness.ADMIN_TOKEN);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("invalid_transition");
    assertThat(again.bodyAsJsonObject().getString("state")).isIn("sending", "completed");
  }

  @Test
  @DisplayName("approve with a send_at ahead → scheduled")
  void approveSchedules() {
    HttpResponse<Buffer> r = h.post("/v1/campaigns", key, CampaignHarness.email("later")
        .put("send_at", java.time.Instant.now().plusSeconds(3600).toString()));
    String id = r.bodyAsJsonObject().getString("id");
    h.call(HttpMethod.POST, "/v1/campaigns/" + id + "/recipients", key, Buffer.buffer("email\na@example.com\n"),
        Map.of("content-type", "text/csv"));
    assertThat(started(id).getString("state")).isEqualTo("pending_approval");
    assertThat(approve(tenant, id, CampaignHarness.ADMIN_TOKEN).bodyAsJsonObject().getString("state"))
        .isEqualTo("scheduled");
  }

  @Test
  @DisplayName("cancel works from pending_approval; pause and resume do not (409 with the state)")
  void cancelWhilePending() {
    String id = uploaded("cancel-pending");
    started(id);
    for (String action : new String[] {"pause", "resume"}) {
      HttpResponse<Buffer> r = h.post("/v1/campaigns/" + id + "/" + action, key, null);
      assertThat(r.statusCode()).as(action).isEqualTo(409);
      assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("pending_approval");
    }
    HttpResponse<Buffer> c = h.post("/v1/campaigns/" + id + "/cancel", key, null);
    assertThat(c.bodyAsJsonObject().getString("state")).isEqualTo("cancelled");
    assertThat(approve(tenant, id, CampaignHarness.ADMIN_TOKEN).bodyAsJsonObject().getString("state"))
        .isEqualTo("cancelled");
  }

  @Test
  @DisplayName("bad approvals: a draft 409, an unknown campaign or another tenant's 404, no admin token 401")
  void badApprovals() {
    String draft = h.post("/v1/campaigns", key, CampaignHarness.email("still-draft")).bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> d = approve(tenant, draft, CampaignHarness.ADMIN_TOKEN);
    assertThat(d.statusCode()).isEqualTo(409);
    assertThat(d.bodyAsJsonObject().getString("state")).isEqualTo("draft");
    assertThat(approve(tenant, "cmp_nosuchcampaign", CampaignHarness.ADMIN_TOKEN).statusCode()).isEqualTo(404);
    String pending = uploaded("other-tenant");
    started(pending);
    assertThat(approve(h.defaultTenant(), pending, CampaignHarness.ADMIN_TOKEN).statusCode()).isEqualTo(404);
    assertThat(approve(tenant, pending, key).statusCode()).isEqualTo(401);
    assertThat(approve(tenant, pending, null).statusCode()).isEqualTo(401);
    assertThat(h.get("/v1/campaigns/" + pending, key).bodyAsJsonObject().getString("state"))
        .isEqualTo("pending_approval");
  }

  @Test
  @DisplayName("the setting takes only true or false; a tenant without it starts at once")
  void setting() {
    HttpResponse<Buffer> r = h.call(HttpMethod.PATCH, "/admin/tenants/" + tenant, CampaignHarness.ADMIN_TOKEN,
        new JsonObject().put("campaign_approval_required", "yes").toBuffer(), Map.of("content-type", "application/json"));
    assertThat(r.statusCode()).isEqualTo(400);
    String id = h.draft("no-approval");
    h.upload(id, "email\nc@example.com\n");
    assertThat(h.post("/v1/campaigns/" + id + "/start", null).bodyAsJsonObject().getString("state"))
        .isEqualTo("sending");
  }
}
