package dev.esprouter.common.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The one error shape of the public API:
 * {@code {"error": {"code": "...", "message": "...", "field": "..."}}}. {@code code} is stable and
 * machine-readable; {@code message} is a sentence naming the offending field; {@code field} is a
 * path such as {@code recipients[3].to}, omitted when no single field is at fault.
 */
public record ApiError(int status, String code, String message, String field) {

  public ApiError(int status, String code, String message) {
    this(status, code, message, null);
  }

  public JsonObject toJson() {
    JsonObject e = new JsonObject().put("code", code).put("message", message);
    if (field != null) {
      e.put("field", field);
    }
    return new JsonObject().put("error", e);
  }

  public Future<Void> send(RoutingContext ctx) {
    return send(ctx.response());
  }

  public Future<Void> send(HttpServerResponse response) {
    if (response.ended()) {
      return Future.succeededFuture();
    }
    return response.setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(toJson().toBuffer());
  }

  public static ApiError badRequest(String code, String message, String field) {
    return new ApiError(400, code, message, field);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "unauthorized", message);
  }

  public static ApiError notFound(String what) {
    return new ApiError(404, "not_found", what + " not found");
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", message);
  }
}
