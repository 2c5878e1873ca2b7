package dev.esprouter.common.input;

import dev.esprouter.common.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * Ids in paths and query strings are text PostgreSQL can store: once percent-decoded they are
 * well-formed UTF-8 without control characters. Before this check a {@code %00} in an id reached
 * the database, which refused it, and the client was told {@code 503 retry later} (so it retried
 * forever). Now a bad path is {@code 404} (nothing can live there) and a bad query parameter
 * {@code 400 invalid_field} naming it; mounted first on the main HTTP port, so it covers every route.
 */
public final class UriCheck implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path != null && !clean(path)) {
      new ApiError(404, "not_found", "nothing is at this path: it holds a control character, a malformed escape or "
          + "malformed UTF-8").send(ctx);
      return;
    }
    String query = ctx.request().query();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        if (!clean(pair)) {
          String field = clean(name) ? decoded(name) : "(query)";
          ApiError.badRequest("invalid_field", field + ": a query parameter holds a control character, a malformed "
              + "escape or malformed UTF-8", field).send(ctx);
          return;
        }
      }
    }
    ctx.next();
  }

  /** Whether {@code raw} percent-decodes to well-formed UTF-8 without control characters. */
  static boolean clean(String raw) {
    Buffer bytes = decode(raw);
    if (bytes == null || Utf8.firstMalformed(bytes) >= 0) {
      return false;
    }
    for (int i = 0; i < bytes.length(); i++) {
      int b = bytes.getByte(i) & 0xFF;
      if (b < 0x20 || b == 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static String decoded(String raw) {
    return StrictInput.printable(decode(raw).toString(java.nio.charset.StandardCharsets.UTF_8).replace('+', ' '));
  }

  /** The bytes {@code raw} stands for, or null for a malformed escape. */
  private static Buffer decode(String raw) {
    Buffer out = Buffer.buffer(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.appendByte((byte) (hi * 16 + lo));
        i += 2;
      } else if (c > 0xFF) {
        return null;
      } else {
        out.appendByte((byte) c);
      }
    }
    return out;
  }
}
