package dev.esprouter.campaigns;

import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.runtime.RoleModule;
import dev.esprouter.ingress.IngressRole;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ingress and campaigns roles (and any others given) running as the app runs them, with an admin
 * token and a bootstrap key, and blocking helpers for the JUnit thread.
 */
final class CampaignHarness implements AutoCloseable {

  static final String ADMIN_TOKEN = "test-admin-token";
  static final String KEY = "esk_live_campaignkeyfortests00000000000000000";

  final EspTestEnv env;
  final RunningRoles roles;
  final WebClient http;
  final Pool pool;

  private CampaignHarness(EspTestEnv env, RunningRoles roles) {
    this.env = env;
    this.roles = roles;
    this.http = WebClient.create(roles.vertx());
    this.pool = roles.runtime().pool();
  }

  static CampaignHarness start(EspTestEnv env, Map<String, String> overrides, RoleModule... more) {
    Map<String, String> all = new HashMap<>();
    all.put("ESP_ADMIN_TOKEN", ADMIN_TOKEN);
    all.put("ESP_BOOTSTRAP_API_KEY", KEY);
    all.put("ESP_ROLES", "ingress,campaigns");
    all.putAll(overrides);
    EspConfig config = env.config(all);
    env.createTopics(config);
    List<RoleModule> roles = new ArrayList<>(List.of(more));
    roles.add(new IngressRole());
    roles.add(new CampaignsRole());
    return new CampaignHarness(env, RunningRoles.start(config, roles.toArray(new RoleModule[0])));
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String key, Buffer body, Map<String, String> headers) {
    HttpRequest<Buffer> req = http.requestAbs(method, roles.baseUrl() + path);
    if (key != null) {
      req.putHeader("Authorization", "Bearer " + key);
    }
    headers.forEach(req::putHeader);
    try {
      return (body == null ? req.send() : req.sendBuffer(body)).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return post(path, KEY, body);
  }

  HttpResponse<Buffer> post(String path, String key, JsonObject body) {
    return call(HttpMethod.POST, path, key, body == null ? null : body.toBuffer(),
        Map.of("content-type", "application/json"));
  }

  HttpResponse<Buffer> patch(String path, JsonObject body) {
    return call(HttpMethod.PATCH, path, KEY, body.toBuffer(), Map.of("content-type", "application/json"));
  }

  HttpResponse<Buffer> get(String path) {
    return get(path, KEY);
  }

  HttpResponse<Buffer> get(String path, String key) {
    return call(HttpMethod.GET, path, key, null, Map.of());
  }

  HttpResponse<Buffer> upload(String campaignId, String contentType, Buffer body, Map<String, String> headers) {
    Map<String, String> h = new HashMap<>(headers);
    h.put("content-type", contentType);
    return call(HttpMethod.POST, "/v1/campaigns/" + campaignId + "/recipients", KEY, body, h);
  }

  HttpResponse<Buffer> upload(String campaignId, String csv) {
    return upload(campaignId, "text/csv", Buffer.buffer(csv), Map.of());
  }

  /** A new tenant with its own key: {tenant id, key}. */
  String[] newTenant(String name) {
    JsonObject t = call(HttpMethod.POST, "/admin/tenants", ADMIN_TOKEN, new JsonObject().put("name", name).toBuffer(),
        Map.of("content-type", "application/json")).bodyAsJsonObject();
    JsonObject k = call(HttpMethod.POST, "/admin/tenants/" + t.getString("id") + "/keys", ADMIN_TOKEN, null, Map.of())
        .bodyAsJsonObject();
    return new String[] {t.getString("id"), k.getString("key")};
  }

  /** The tenant of {@link #KEY}. */
  String defaultTenant() {
    return query("select id from tenants where name = 'default'", Tuple.tuple()).get(0).getString(0);
  }

  List<Row> query(String sql, Tuple args) {
    try {
      List<Row> out = new ArrayList<>();
      pool.preparedQuery(sql).execute(args).await(30, TimeUnit.SECONDS).forEach(out::add);
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  long count(String sql, Tuple args) {
    return query(sql, args).get(0).getLong(0);
  }

  static JsonObject email(String name) {
    return new JsonObject().put("name", name).put("channel", "email").put("from", "Shop <news@shop.example>")
        .put("subject", "Hi {{name}}").put("html", "<p>Hi {{name}}</p>");
  }

  /** A new draft email campaign's id. */
  String draft(String name) {
    HttpResponse<Buffer> r = post("/v1/campaigns", email(name));
    if (r.statusCode() != 201) {
      throw new IllegalStateException("campaign not created: " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getString("id");
  }

  @Override
  public void close() {
    http.close();
    roles.close();
  }
}
