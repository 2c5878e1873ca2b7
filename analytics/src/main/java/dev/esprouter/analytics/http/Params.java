package dev.esprouter.analytics.http;

import dev.esprouter.common.Channel;
import dev.esprouter.common.http.ApiError;
import io.vertx.ext.web.RoutingContext;

/** Query parameter parsing shared by the analytics routes; a bad value is answered 400 here. */
final class Params {

  private Params() {
  }

  /** The {@code channel} query parameter; null (and 400 sent) when invalid, or when missing and required. */
  static Channel channel(RoutingContext ctx, boolean required) {
    String raw = ctx.queryParams().get("channel");
    if (raw == null || raw.isBlank()) {
      if (required) {
        ApiError.badRequest("invalid_channel", "channel: required, one of email, whatsapp, telegram", "channel")
            .send(ctx);
      }
      return null;
    }
    Channel c = Channel.fromWire(raw);
    if (c == null) {
      ApiError.badRequest("invalid_channel", "channel: '" + raw + "' is not one of email, whatsapp, telegram",
          "channel").send(ctx);
    }
    return c;
  }
}
