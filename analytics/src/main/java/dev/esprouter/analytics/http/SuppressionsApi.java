package dev.esprouter.analytics.http;

import dev.esprouter.common.SuppressionAddress;
import dev.esprouter.common.Channel;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.http.Tenant;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * {@code GET} and {@code DELETE /v1/suppressions/{address}[?channel=]}: the tenant's suppressions of
 * one address (every channel unless one is named). Another tenant's suppressions are never visible:
 * they answer 404 like an address that was never suppressed.
 */
public final class SuppressionsApi {

  static final String FIND = "select channel, address, reason, provider, message_id, created_at from suppressions "
      + "where tenant_id = $1 and address = any($2::text[]) and ($3::text is null or channel = $3) order by channel";

  static final String DELETE = "delete from suppressions where tenant_id = $1 and address = any($2::text[]) "
      + "and ($3::text is null or channel = $3)";

  private final Pool pool;

  public SuppressionsApi(Pool pool) {
    this.pool = pool;
  }

  public void mount(Router router, Handler<RoutingContext> auth) {
    router.get("/v1/suppressions/:address").handler(auth).handler(this::get);
    router.delete("/v1/suppressions/:address").handler(auth).handler(this::delete);
  }

  private void get(RoutingContext ctx) {
    Tuple query = query(ctx);
    if (query == null) {
      return;
    }
    String address = ctx.pathParam("address");
    pool.preparedQuery(FIND).execute(query).onSuccess(rows -> {
      if (rows.size() == 0) {
        ApiError.notFound("suppression of '" + address + "'").send(ctx);
        return;
      }
      JsonArray list = new JsonArray();
      for (Row r : rows) {
        list.add(new JsonObject()
            .put("channel", r.getString("channel"))
            .put("address", r.getString("address"))
            .put("reason", r.getString("reason"))
            .put("provider", r.getString("provider"))
            .put("message_id", r.getString("message_id"))
            .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString()));
      }
      Responses.json(ctx, 200, new JsonObject().put("address", address).put("suppressions", list));
    }).onFailure(err -> Responses.unavailable(ctx, 1, "cannot read suppressions right now"));
  }

  private void delete(RoutingContext ctx) {
    Tuple query = query(ctx);
    if (query == null) {
      return;
    }
    String address = ctx.pathParam("address");
    pool.preparedQuery(DELETE).execute(query).onSuccess(rows -> {
      if (rows.rowCount() == 0) {
        ApiError.notFound("suppression of '" + address + "'").send(ctx);
      } else {
        ctx.response().setStatusCode(204).end();
      }
    }).onFailure(err -> Responses.unavailable(ctx, 1, "cannot delete suppressions right now"));
  }

  /** (tenant, address as given and normalized, channel or null); null when a 400 was sent. */
  private static Tuple query(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String address = ctx.pathParam("address");
    if (address == null || address.isBlank() || address.length() > 320) {
      ApiError.badRequest("invalid_address", "address: must be 1 to 320 characters", "address").send(ctx);
      return null;
    }
    Channel channel = Params.channel(ctx, false);
    if (channel == null && ctx.response().ended()) {
      return null;
    }
    // As given for phone numbers and chat ids, the email form for emails; a channel filter picks one.
    String[] forms = {address.trim(), SuppressionAddress.of(Channel.EMAIL, address)};
    return Tuple.of(tenant.id(), forms, channel == null ? null : channel.wire());
  }
}
