package dev.esprouter.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Campaigns are created, changed, read, listed and moved through their lifecycle per tenant")
class CampaignsApiTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();
  static CampaignHarness h;

  @BeforeAll
  static void start() {
    h = CampaignHarness.start(env, Map.of());
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  @DisplayName("POST /v1/campaigns answers 201 with a draft on the low lane, its content and its history")
  void create() {
    HttpResponse<Buffer> r = h.post("/v1/campaigns", CampaignHarness.email("Weekly").put("max_rate_per_sec", 50)
        .put("metadata", new JsonObject().put("list", "weekly")));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    JsonObject c = r.bodyAsJsonObject();
    assertThat(c.getString("id")).startsWith("cmp_");
    assertThat(c.getString("state")).isEqualTo("draft");
    assertThat(c.getString("priority")).isEqualTo("low");
    assertThat(c.getString("subject")).isEqualTo("Hi {{name}}");
    assertThat(c.getInteger("max_rate_per_sec")).isEqualTo(50);
    assertThat(c.getJsonArray("transitions").getJsonObject(0).getString("state")).isEqualTo("draft");
    assertThat(c.getJsonObject("totals").getLong("recipients")).isZero();
    assertThat(h.get("/v1/campaigns/" + c.getString("id")).bodyAsJsonObject().getString("name")).isEqualTo("Weekly");
  }

  @Test
  @DisplayName("content is checked exactly as /v1/messages checks it: a bad field is a 400 naming it and nothing is stored")
  void badContent() {
    long before = h.count("select count(*) from campaigns", io.vertx.sqlclient.Tuple.tuple());
    assertError(h.post("/v1/campaigns", CampaignHarness.email("x").put("from", "not an address")), 400, "invalid_field");
    assertError(h.post("/v1/campaigns", CampaignHarness.email("x").put("channel", "fax")), 400, "invalid_field");
    assertError(h.post("/v1/campaigns", CampaignHarness.email("x").put("recipients", new JsonArray())), 400,
        "unknown_field");
    assertError(h.post("/v1/campaigns", CampaignHarness.email("x").put("priority", "urgent")), 400, "invalid_field");
    assertError(h.post("/v1/campaigns", CampaignHarness.email("x").put("max_rate_per_sec", 0)), 400, "invalid_field");
    assertError(h.post("/v1/campaigns", CampaignHarness.email("x").put("template", "no-such-template")
        .putNull("subject").putNull("html")), 400, "unknown_template");
    JsonObject noName = CampaignHarness.email("x");
    noName.remove("name");
    assertError(h.post("/v1/campaigns", noName), 400, "missing_field");
    assertError(h.call(io.vertx.core.http.HttpMethod.POST, "/v1/campaigns", CampaignHarness.KEY,
        Buffer.buffer("{nope"), Map.of("content-type", "application/json")), 400, "invalid_json");
    assertThat(h.count("select count(*) from campaigns", io.vertx.sqlclient.Tuple.tuple())).isEqualTo(before);
  }

  @Test
  @DisplayName("PATCH changes a draft and checks the result again; a bad change is a 400 and changes nothing")
  void patch() {
    String id = h.draft("Before");
    HttpResponse<Buffer> r = h.patch("/v1/campaigns/" + id, new JsonObject().put("name", "After")
        .put("subject", "New {{name}}"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("subject")).isEqualTo("New {{name}}");
    assertError(h.patch("/v1/campaigns/" + id, new JsonObject().putNull("from")), 400, "missing_field");
    JsonObject now = h.get("/v1/campaigns/" + id).bodyAsJsonObject();
    assertThat(now.getString("from")).isEqualTo("Shop <news@shop.example>");
    assertThat(now.getString("name")).isEqualTo("After");
  }

  @Test
  @DisplayName("another tenant's campaign is a 404 for every route, and its list does not show it")
  void tenants() {
    String id = h.draft("Mine");
    String[] other = h.newTenant("other-" + System.nanoTime());
    assertError(h.get("/v1/campaigns/" + id, other[1]), 404, "not_found");
    assertError(h.post("/v1/campaigns/" + id + "/start", other[1], null), 404, "not_found");
    assertError(h.post("/v1/campaigns/" + id + "/cancel", other[1], null), 404, "not_found");
    assertError(h.call(io.vertx.core.http.HttpMethod.POST, "/v1/campaigns/" + id + "/recipients", other[1],
        Buffer.buffer("to\na@example.com\n"), Map.of("content-type", "text/csv")), 404, "not_found");
    assertThat(h.get("/v1/campaigns", other[1]).bodyAsJsonObject().getJsonArray("data")).isEmpty();
    assertThat(h.get("/v1/campaigns/" + id).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("the list is newest first, pages with a cursor and filters by state")
  void list() {
    String[] t = h.newTenant("lister-" + System.nanoTime());
    String a = h.post("/v1/campaigns", t[1], CampaignHarness.email("a")).bodyAsJsonObject().getString("id");
    String b = h.post("/v1/campaigns", t[1], CampaignHarness.email("b")).bodyAsJsonObject().getString("id");
    String c = h.post("/v1/campaigns", t[1], CampaignHarness.email("c")).bodyAsJsonObject().getString("id");
    h.post("/v1/campaigns/" + b + "/cancel", t[1], null);
    JsonObject first = h.get("/v1/campaigns?limit=2", t[1]).bodyAsJsonObject();
    assertThat(ids(first)).containsExactly(c, b);
    assertThat(first.getBoolean("has_more")).isTrue();
    JsonObject second = h.get("/v1/campaigns?limit=2&after=" + first.getString("next_after"), t[1]).bodyAsJsonObject();
    assertThat(ids(second)).containsExactly(a);
    assertThat(second.getBoolean("has_more")).isFalse();
    assertThat(ids(h.get("/v1/campaigns?state=cancelled", t[1]).bodyAsJsonObject())).containsExactly(b);
    assertThat(ids(h.get("/v1/campaigns?state=draft", t[1]).bodyAsJsonObject())).containsExactly(c, a);
    assertError(h.get("/v1/campaigns?state=nope", t[1]), 400, "invalid_field");
    JsonObject item = first.getJsonArray("data").getJsonObject(0);
    assertThat(item.getJsonObject("progress").getLong("total")).isZero();
  }

  @Test
  @DisplayName("illegal transitions are a 409 with the current state; every transition is in the history")
  void transitions() {
    String id = h.draft("Lifecycle");
    HttpResponse<Buffer> empty = h.post("/v1/campaigns/" + id + "/start", null);
    assertError(empty, 409, "no_recipients");
    assertError(h.post("/v1/campaigns/" + id + "/resume", null), 409, "invalid_transition");
    assertThat(h.post("/v1/campaigns/" + id + "/resume", null).bodyAsJsonObject().getString("state"))
        .isEqualTo("draft");
    HttpResponse<Buffer> cancelled = h.post("/v1/campaigns/" + id + "/cancel", null);
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getString("state")).isEqualTo("cancelled");
    assertThat(cancelled.bodyAsJsonObject().getString("completed_at")).isNotNull();
    assertError(h.post("/v1/campaigns/" + id + "/cancel", null), 409, "invalid_transition");
    assertError(h.post("/v1/campaigns/" + id + "/start", null), 409, "invalid_transition");
    assertError(h.patch("/v1/campaigns/" + id, new JsonObject().put("name", "x")), 409, "campaign_not_editable");
    JsonArray history = h.get("/v1/campaigns/" + id).bodyAsJsonObject().getJsonArray("transitions");
    assertThat(history.stream().map(o -> ((JsonObject) o).getString("state"))).containsExactly("draft", "cancelled");
  }

  @Test
  @DisplayName("start goes to scheduled while send_at is ahead, pause and resume keep it there, and the list is frozen")
  void schedule() {
    String id = h.post("/v1/campaigns", CampaignHarness.email("Later").put("send_at",
        java.time.Instant.now().plusSeconds(3600).toString())).bodyAsJsonObject().getString("id");
    assertThat(h.upload(id, "to\na@example.com\n").statusCode()).isEqualTo(200);
    assertThat(h.post("/v1/campaigns/" + id + "/start", null).bodyAsJsonObject().getString("state"))
        .isEqualTo("scheduled");
    assertThat(h.patch("/v1/campaigns/" + id, new JsonObject().put("name", "Later still")).statusCode())
        .isEqualTo(200);
    assertError(h.upload(id, "to\nb@example.com\n"), 409, "campaign_not_editable");
    assertThat(h.post("/v1/campaigns/" + id + "/pause", null).bodyAsJsonObject().getString("state"))
        .isEqualTo("paused");
    assertThat(h.post("/v1/campaigns/" + id + "/resume", null).bodyAsJsonObject().getString("state"))
        .isEqualTo("scheduled");
    assertThat(h.post("/v1/campaigns/" + id + "/cancel", null).bodyAsJsonObject().getJsonObject("totals")
        .getLong("cancelled")).isEqualTo(1);
  }

  private static java.util.List<String> ids(JsonObject page) {
    return page.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code")).as(r.bodyAsString()).isEqualTo(code);
  }
}
