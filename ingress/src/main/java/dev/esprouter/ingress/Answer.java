package dev.esprouter.ingress;

import dev.esprouter.common.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A finished answer to a send request: what an Idempotency-Key stores and replays. */
record Answer(int status, JsonObject body, boolean replayed) {

  static Answer of(int status, JsonObject body) {
    return new Answer(status, body, false);
  }

  static Answer error(ApiError e) {
    return new Answer(e.status(), e.toJson(), false);
  }

  Future<Void> send(RoutingContext ctx) {
    if (replayed) {
      ctx.response().putHeader("Idempotent-Replayed", "true");
    }
    return ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
