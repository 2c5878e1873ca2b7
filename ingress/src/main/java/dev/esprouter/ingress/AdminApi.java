package dev.esprouter.ingress;

import dev.esprouter.common.input.StrictInput;
import dev.esprouter.common.Ids;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.ApiKeys;
import dev.esprouter.common.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Pattern;

/**
 * The operators' tenant and key API, behind {@code Authorization: Bearer $ESP_ADMIN_TOKEN}; not
 * mounted at all (so 404) when no admin token is configured. A new key is shown once; only its hash
 * is stored. Revoking a key clears this process's auth cache at once; other processes drop it
 * within the cache's 5 s.
 */
final class AdminApi {

  static final String INSERT_TENANT = "insert into tenants (id, name, rate_limit_per_sec) values ($1, $2, $3)";
  static final String TENANT_EXISTS = "select 1 from tenants where id = $1";
  static final String REVOKE = "update api_keys set revoked_at = now() where id = $1 and tenant_id = $2 "
      + "and revoked_at is null";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private final Ingress in;
  private final String token;

  AdminApi(Ingress in, String token) {
    this.in = in;
    this.token = token;
  }

  void mount(Router router, IngressMetrics metrics) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(64 * 1024);
    router.route("/admin/*").handler(AdminGuard.of(token));
    router.post("/admin/tenants").handler(metrics.timed("POST", "/admin/tenants")).handler(body)
        .handler(StrictInput.json()).handler(this::createTenant);
    router.patch("/admin/tenants/:id").handler(metrics.timed("PATCH", "/admin/tenants/:id")).handler(body)
        .handler(StrictInput.json()).handler(this::updateTenant);
    router.post("/admin/tenants/:id/keys").handler(metrics.timed("POST", "/admin/tenants/:id/keys"))
        .handler(this::createKey);
    router.delete("/admin/tenants/:id/keys/:keyId").handler(metrics.timed("DELETE", "/admin/tenants/:id/keys/:keyId"))
        .handler(this::revokeKey);
  }

  private void createTenant(RoutingContext ctx) {
    JsonObject o;
    String name;
    Integer rate;
    try {
      o = SendRequestParser.object(ctx.body().buffer());
      for (String f : o.fieldNames()) {
        if (!f.equals("name") && !f.equals("rate_limit_per_sec")) {
          throw Invalid.field("unknown_field", f.length() > 64 ? f.substring(0, 64) : f, "is not a known field");
        }
      }
      Object n = o.getValue("name");
      if (!(n instanceof String s) || !NAME.matcher(s).matches()) {
        throw Invalid.field(n == null ? "missing_field" : "invalid_field", "name",
            "must be 1 to 63 lower-case letters, digits, '-' or '_'");
      }
      name = (String) n;
      rate = rate(o);
    } catch (Invalid e) {
      e.error().send(ctx);
      return;
    }
    String id = Ids.tenant();
    in.pool().preparedQuery(INSERT_TENANT).execute(Tuple.of(id, name, rate)).onComplete(ar -> {
      if (ar.succeeded()) {
        Responses.json(ctx, 201, new JsonObject().put("id", id).put("name", name).put("rate_limit_per_sec", rate));
      } else if (ar.cause() instanceof PgException pg && "23505".equals(pg.getSqlState())) {
        new ApiError(409, "tenant_exists", "name: a tenant named '" + name + "' exists already", "name").send(ctx);
      } else {
        Responses.unavailable(ctx, SendApi.RETRY_AFTER_SECONDS, "cannot create the tenant right now");
      }
    });
  }

  private void updateTenant(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    io.vertx.sqlclient.Tuple args;
    try {
      args = TenantSettings.updateArgs(id, SendRequestParser.object(ctx.body().buffer()));
    } catch (Invalid e) {
      e.error().send(ctx);
      return;
    }
    in.pool().preparedQuery(TenantSettings.UPDATE).execute(args).onComplete(ar -> {
      if (ar.failed()) {
        Responses.unavailable(ctx, SendApi.RETRY_AFTER_SECONDS, "cannot update the tenant right now");
      } else if (ar.result().size() == 0) {
        ApiError.notFound("tenant").send(ctx);
      } else {
        // The new rate reaches the limiter with the tenant's next authentication (cached up to 5 s);
        // template settings reach this process's registry now, other processes' within its cache TTL.
        in.auth().invalidateAll();
        in.templateChecks().registry().invalidate(id);
        Responses.json(ctx, 200, TenantSettings.json(id, ar.result().iterator().next()));
      }
    });
  }

  private void createKey(RoutingContext ctx) {
    String tenantId = ctx.pathParam("id");
    String key = ApiKeys.generate();
    in.pool().preparedQuery(TENANT_EXISTS).execute(Tuple.of(tenantId))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture((String) null) : ApiKeys.store(in.pool(), tenantId, key))
        .onComplete(ar -> {
          if (ar.failed()) {
            Responses.unavailable(ctx, SendApi.RETRY_AFTER_SECONDS, "cannot create the key right now");
          } else if (ar.result() == null) {
            ApiError.notFound("tenant").send(ctx);
          } else {
            Responses.json(ctx, 201, new JsonObject().put("id", ar.result()).put("key", key)
                .put("prefix", ApiKeys.prefix(key)).put("tenant_id", tenantId));
          }
        });
  }

  private void revokeKey(RoutingContext ctx) {
    in.pool().preparedQuery(REVOKE).execute(Tuple.of(ctx.pathParam("keyId"), ctx.pathParam("id"))).onComplete(ar -> {
      if (ar.failed()) {
        Responses.unavailable(ctx, SendApi.RETRY_AFTER_SECONDS, "cannot revoke the key right now");
      } else if (ar.result().rowCount() == 0) {
        ApiError.notFound("key").send(ctx);
      } else {
        in.auth().invalidateAll();
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  private static Integer rate(JsonObject o) {
    Object r = o.getValue("rate_limit_per_sec");
    return r == null ? null : TenantSettings.rate(r);
  }
}
