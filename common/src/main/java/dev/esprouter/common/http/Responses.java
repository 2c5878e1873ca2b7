package dev.esprouter.common.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers for JSON answers, so every handler ends its response the same way. */
public final class Responses {

  private Responses() {
  }

  public static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    return ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }

  public static Future<Void> json(RoutingContext ctx, int status, JsonArray body) {
    return ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }

  /** 503 with a retry hint: the API sheds load instead of queueing without bound. */
  public static Future<Void> unavailable(RoutingContext ctx, int retryAfterSeconds, String message) {
    ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
    return ApiError.unavailable(message).send(ctx);
  }
}
