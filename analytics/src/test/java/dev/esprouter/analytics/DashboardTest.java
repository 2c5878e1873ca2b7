package dev.esprouter.analytics;

import static dev.esprouter.analytics.AnalyticsHarness.await;
import static dev.esprouter.analytics.AnalyticsHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's sign-in, sessions and CSRF checks, and the {@code /v1/stats/*} reads behind its
 * charts, against the analytics role on a fresh database (the browser-level test is the app's
 * {@code DashboardBrowserTest}).
 */
@DisplayName("Dashboard: sign-in, sessions, CSRF, per-tenant failures and the stats routes")
class DashboardTest {

  @RegisterExtension
  static final dev.esprouter.testkit.EspTestEnv env = new dev.esprouter.testkit.EspTestEnv();

  static final String ADMIN = "admin-token-for-dashboard-tests-0123456789";
  static AnalyticsHarness h;
  static io.vertx.ext.web.client.WebClient raw;

  @BeforeAll
  static void start() {
    h = new AnalyticsHarness(env, Map.of("ESP_ADMIN_TOKEN", ADMIN));
    // No redirects followed: the tests look at each 303 themselves.
    raw = io.vertx.ext.web.client.WebClient.create(h.roles.vertx(), new WebClientOptions().setFollowRedirects(false));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  record Session(String cookie, String csrf) {
  }

  HttpRequest<Buffer> req(io.vertx.core.http.HttpMethod m, String path) {
    return raw.request(m, h.roles.config().httpPort(), "127.0.0.1", path);
  }

  HttpResponse<Buffer> signIn(String credential) {
    return await(req(io.vertx.core.http.HttpMethod.POST, "/login")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("credential", credential)));
  }

  Session session(String credential) {
    HttpResponse<Buffer> r = signIn(credential);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(303);
    String setCookie = r.getHeader("set-cookie");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    HttpResponse<Buffer> page = await(req(io.vertx.core.http.HttpMethod.GET, "/").putHeader("Cookie", cookie).send());
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page.bodyAsString());
    assertThat(m.find()).isTrue();
    return new Session(cookie, m.group(1));
  }

  JsonObject getJson(String path, Session s, int expected) {
    HttpResponse<Buffer> r = await(req(io.vertx.core.http.HttpMethod.GET, path).putHeader("Cookie", s.cookie).send());
    assertThat(r.statusCode()).as(path + ": " + r.bodyAsString()).isEqualTo(expected);
    return r.bodyAsJsonObject();
  }

  @Test
  @DisplayName("GET / without a session redirects to the sign-in form; the form page forbids framing and foreign scripts")
  void signInFirst() {
    HttpResponse<Buffer> r = await(req(io.vertx.core.http.HttpMethod.GET, "/").send());
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.getHeader("location")).isEqualTo("/login");
    HttpResponse<Buffer> form = await(req(io.vertx.core.http.HttpMethod.GET, "/login").send());
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.bodyAsString()).contains("name=\"credential\"");
    assertThat(form.getHeader("content-security-policy")).contains("script-src 'self'").contains("frame-ancestors 'none'");
  }

  @Test
  @DisplayName("a wrong key is refused with 401 and no cookie; a foreign Origin cannot sign anyone in")
  void badSignIn() {
    HttpResponse<Buffer> r = signIn("esk_live_not_a_real_key_000000000000000000000");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.bodyAsString()).contains("Unknown or revoked key");
    assertThat(r.getHeader("set-cookie")).isNull();
    HttpResponse<Buffer> cross = await(req(io.vertx.core.http.HttpMethod.POST, "/login")
        .putHeader("Origin", "http://evil.example").sendForm(MultiMap.caseInsensitiveMultiMap().add("credential", h.apiKey)));
    assertThat(cross.statusCode()).isEqualTo(403);
    assertThat(cross.getHeader("set-cookie")).isNull();
    assertThat(h.count("select count(*) from dashboard_sessions where tenant_id = '" + h.tenantId + "' "
        + "and created_at > now() - interval '1 second'")).isZero();
  }

  @Test
  @DisplayName("a tenant key opens a server-side session: HttpOnly, SameSite=Strict cookie with a random id, only its hash stored")
  void cookie() {
    HttpResponse<Buffer> r = signIn(h.apiKey);
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.getHeader("location")).isEqualTo("/");
    String setCookie = r.getHeader("set-cookie");
    assertThat(setCookie).startsWith("esp_session=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
        .contains("Path=/").contains("Max-Age=43200").doesNotContain(h.apiKey);
    String value = setCookie.substring("esp_session=".length(), setCookie.indexOf(';'));
    assertThat(value).hasSizeGreaterThanOrEqualTo(43);
    assertThat(h.count("select count(*) from dashboard_sessions where id_hash = sha256('" + value + "'::bytea) "
        + "and tenant_id = '" + h.tenantId + "' and expires_at > now() + interval '29 minutes' "
        + "and max_expires_at > now() + interval '11 hours'")).isEqualTo(1);
    assertThat(h.count("select count(*) from dashboard_sessions where encode(id_hash, 'escape') like '%"
        + value + "%'")).isZero();
  }

  @Test
  @DisplayName("the page shows who is signed in; a session past its expiry is no session")
  void expiry() {
    Session s = session(h.apiKey);
    HttpResponse<Buffer> page = await(req(io.vertx.core.http.HttpMethod.GET, "/").putHeader("Cookie", s.cookie).send());
    assertThat(page.bodyAsString()).contains("acme" + h.tenantId).contains("this tenant's traffic");
    // A second sign-in, expired in the database before its first use (nothing cached yet).
    HttpResponse<Buffer> r = signIn(h.apiKey);
    String setCookie = r.getHeader("set-cookie");
    String value = setCookie.substring("esp_session=".length(), setCookie.indexOf(';'));
    h.env.database().sql("update dashboard_sessions set expires_at = now() - interval '1 second' "
        + "where id_hash = sha256('" + value + "'::bytea)");
    HttpResponse<Buffer> expired = await(req(io.vertx.core.http.HttpMethod.GET, "/")
        .putHeader("Cookie", "esp_session=" + value).send());
    assertThat(expired.statusCode()).isEqualTo(303);
  }

  @Test
  @DisplayName("sign-out needs the session's CSRF token; afterwards the cookie opens nothing")
  void signOut() {
    Session s = session(h.apiKey);
    HttpResponse<Buffer> forged = await(req(io.vertx.core.http.HttpMethod.POST, "/logout").putHeader("Cookie", s.cookie)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("csrf", "not-the-token")));
    assertThat(forged.statusCode()).isEqualTo(403);
    getJson("/v1/stats/pipeline", s, 200);
    HttpResponse<Buffer> out = await(req(io.vertx.core.http.HttpMethod.POST, "/logout").putHeader("Cookie", s.cookie)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("csrf", s.csrf)));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.getHeader("location")).isEqualTo("/login");
    assertThat(out.getHeader("set-cookie")).contains("esp_session=;").contains("Max-Age=0");
    assertThat(await(req(io.vertx.core.http.HttpMethod.GET, "/").putHeader("Cookie", s.cookie).send()).statusCode())
        .isEqualTo(303);
    getJson("/v1/stats/pipeline", s, 401);
  }

  @Test
  @DisplayName("the tenant API accepts a tenant's session (reads as is, changes only with X-CSRF-Token), not an operator's")
  void sessionsOnTenantRoutes() {
    Session tenant = session(h.apiKey);
    // Authenticated as the tenant: 404 for an address it never suppressed, not 401.
    assertThat(await(req(io.vertx.core.http.HttpMethod.GET, "/v1/suppressions/nobody@x.example")
        .putHeader("Cookie", tenant.cookie).send()).statusCode()).isEqualTo(404);
    assertThat(await(req(io.vertx.core.http.HttpMethod.DELETE, "/v1/suppressions/nobody@x.example")
        .putHeader("Cookie", tenant.cookie).send()).statusCode()).isEqualTo(401);
    assertThat(await(req(io.vertx.core.http.HttpMethod.DELETE, "/v1/suppressions/nobody@x.example")
        .putHeader("Cookie", tenant.cookie).putHeader("X-CSRF-Token", tenant.csrf).send()).statusCode()).isEqualTo(404);
    Session operator = session(ADMIN);
    assertThat(await(req(io.vertx.core.http.HttpMethod.GET, "/v1/suppressions/nobody@x.example")
        .putHeader("Cookie", operator.cookie).send()).statusCode()).isEqualTo(401);
    // The analytics reads take the operator's session and the admin token too.
    getJson("/v1/providers", operator, 200);
    assertThat(h.get("/v1/stats/pipeline", ADMIN).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("failures newest first: a tenant sees its own messages' only, the operator everyone's; filters by provider and type")
  void failures() {
    String otherTenant = h.newTenant("other");
    String otherKey = h.newKey(otherTenant);
    String mine = h.message("email", "a@x.example", dev.esprouter.common.ProviderName.SENDGRID, null, "sent");
    String theirs = "msg_other_" + System.nanoTime();
    h.env.database().sql("insert into messages (id, tenant_id, channel, recipient) values ('" + theirs + "', '"
        + otherTenant + "', 'email', 'b@x.example')");
    h.env.database().sql("insert into message_status (id, tenant_id, status, provider) values ('" + theirs + "', '"
        + otherTenant + "', 'sent', 'postmark')");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    event(mine, "sendgrid", "bounced", now.minusSeconds(30), "{\"reason\":\"550 5.1.1 no such user\",\"recipient_side\":true}");
    event(mine, "sendgrid", "delivered", now.minusSeconds(20), null);
    event(theirs, "postmark", "complained", now.minusSeconds(10), null);
    event(mine, "postmark", "dropped", now.minusSeconds(5), "{\"reason\":\"5.7.1 blocked\"}");

    JsonArray ownList = getJson("/v1/stats/failures", session(h.apiKey), 200).getJsonArray("failures");
    assertThat(ownList.stream().map(o -> ((JsonObject) o).getString("message_id")).distinct().toList())
        .containsExactly(mine);
    assertThat(ownList.stream().map(o -> ((JsonObject) o).getString("type")).toList()).containsExactly("dropped", "bounced");
    assertThat(ownList.getJsonObject(1).getString("reason")).isEqualTo("550 5.1.1 no such user");
    assertThat(ownList.getJsonObject(1).getBoolean("recipient_side")).isTrue();

    JsonArray theirList = h.get("/v1/stats/failures", otherKey).bodyAsJsonObject().getJsonArray("failures");
    assertThat(theirList).hasSize(1);
    assertThat(theirList.getJsonObject(0).getString("type")).isEqualTo("complained");

    JsonArray all = h.get("/v1/stats/failures", ADMIN).bodyAsJsonObject().getJsonArray("failures");
    assertThat(all.stream().map(o -> ((JsonObject) o).getString("type")).toList())
        .containsSubsequence("dropped", "complained", "bounced");
    JsonArray bySendgrid = h.get("/v1/stats/failures?provider=sendgrid", ADMIN).bodyAsJsonObject().getJsonArray("failures");
    assertThat(bySendgrid.stream().map(o -> ((JsonObject) o).getString("provider")).distinct().toList())
        .containsExactly("sendgrid");
    JsonArray complaints = h.get("/v1/stats/failures?type=complained,dead", ADMIN).bodyAsJsonObject()
        .getJsonArray("failures");
    assertThat(complaints.stream().map(o -> ((JsonObject) o).getString("type")).distinct().toList())
        .containsExactly("complained");
    JsonArray older = h.get("/v1/stats/failures?to=" + now.minusSeconds(15), ADMIN).bodyAsJsonObject()
        .getJsonArray("failures");
    assertThat(older.stream().map(o -> ((JsonObject) o).getString("type")).toList()).contains("bounced")
        .doesNotContain("dropped");
    JsonObject page = h.get("/v1/stats/failures?limit=1", ADMIN).bodyAsJsonObject();
    assertThat(page.getJsonArray("failures")).hasSize(1);
    assertThat(page.getString("next_to")).isNotNull();
  }

  @Test
  @DisplayName("bad parameters are 400 naming the field, and nothing is read")
  void badParameters() {
    for (String[] c : List.of(
        new String[] {"/v1/stats/failures?type=delivered", "type"},
        new String[] {"/v1/stats/failures?provider=mailgun", "provider"},
        new String[] {"/v1/stats/failures?limit=0", "limit"},
        new String[] {"/v1/stats/failures?from=yesterday", "from"},
        new String[] {"/v1/stats/providers?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from"},
        new String[] {"/v1/stats/providers?from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z", "from"},
        new String[] {"/v1/stats/providers?step=30", "step"},
        new String[] {"/v1/stats/providers?domain_group=hotmail", "domain_group"})) {
      HttpResponse<Buffer> r = h.get(c[0], h.apiKey);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("field")).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(h.get("/v1/stats/providers", null).statusCode()).isEqualTo(401);
    assertThat(h.get("/v1/stats/providers", "esk_live_wrong").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("provider stats per step: every step of the range, counts summed, rates null where nothing was reported")
  void providerSeries() {
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
    h.env.database().sql("insert into provider_stats (provider, bucket, sent, delivered, opened, bounced, "
        + "bounced_recipient, complained, failed) values "
        + "('socketlabs', '" + t0 + "', 100, 90, 30, 4, 4, 1, 2), "
        + "('socketlabs', '" + t0.plusSeconds(60) + "', 50, 0, 0, 0, 0, 0, 0) "
        + "on conflict (provider, bucket, domain_group) do update set sent = excluded.sent, delivered = excluded.delivered, "
        + "opened = excluded.opened, bounced = excluded.bounced, bounced_recipient = excluded.bounced_recipient, "
        + "complained = excluded.complained, failed = excluded.failed");
    JsonObject body = h.get("/v1/stats/providers?from=" + t0 + "&to=" + t0.plusSeconds(300) + "&step=60",
        h.apiKey).bodyAsJsonObject();
    assertThat(body.getInteger("step_seconds")).isEqualTo(60);
    assertThat(body.getJsonArray("t")).hasSize(5);
    assertThat(body.getJsonArray("t").getLong(0)).isEqualTo(t0.getEpochSecond());
    JsonObject sl = body.getJsonObject("providers").getJsonObject("socketlabs");
    assertThat(sl.getString("channel")).isEqualTo("email");
    assertThat(sl.getJsonArray("sent").getList()).containsExactly(100, 50, 0, 0, 0);
    JsonObject rates = sl.getJsonObject("rates");
    assertThat(rates.getJsonArray("delivered").getDouble(0)).isEqualTo(0.9);
    assertThat(rates.getJsonArray("bounced").getDouble(0)).isEqualTo(0.08);
    assertThat(rates.getJsonArray("complained").getDouble(0)).isEqualTo(Math.round(1_000_000d / 90) / 1_000_000d);
    assertThat(rates.getJsonArray("opened").getDouble(0)).isEqualTo(Math.round(30_000_000d / 90) / 1_000_000d);
    assertThat(rates.getJsonArray("delivered").getValue(1)).as("sends but no fates: no rate").isNull();
    // Five-minute steps sum the minutes.
    JsonObject coarse = h.get("/v1/stats/providers?from=" + t0 + "&to=" + t0.plusSeconds(600) + "&step=300&provider=socketlabs",
        h.apiKey).bodyAsJsonObject();
    assertThat(coarse.getJsonObject("providers").fieldNames()).containsExactly("socketlabs");
    long firstStep = coarse.getJsonObject("providers").getJsonObject("socketlabs").getJsonArray("sent").stream()
        .mapToLong(o -> ((Number) o).longValue()).sum();
    assertThat(firstStep).isEqualTo(150);
  }

  @Test
  @DisplayName("a revoked key ends its sessions (within the key cache's 5 s and the session cache's 5 s)")
  void revokedKeyEndsSession() {
    String tenant = h.newTenant("revoked");
    String key = h.newKey(tenant);
    Session s = session(key);
    h.env.database().sql("update api_keys set revoked_at = now() where tenant_id = '" + tenant + "'");
    eventually(() -> await(req(io.vertx.core.http.HttpMethod.GET, "/").putHeader("Cookie", s.cookie).send())
        .statusCode() == 303);
  }

  private static void event(String messageId, String provider, String type, Instant at, String detail) {
    h.env.database().sql("insert into message_events (message_id, provider, type, occurred_at, detail, dedupe_key) "
        + "values ('" + messageId + "', '" + provider + "', '" + type + "', '" + at + "', "
        + (detail == null ? "null" : "'" + detail + "'::jsonb") + ", '" + java.util.UUID.randomUUID() + "')");
  }
}
