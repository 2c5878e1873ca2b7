package dev.esprouter.common.input;

import dev.esprouter.common.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The input rules every JSON endpoint shares (API.md): a body comes as {@code application/json}
 * (a charset parameter, if any, is UTF-8) or the answer is 415; it is well-formed UTF-8
 * ({@code 400 invalid_utf8}); no string, key or value, holds a NUL or a lone surrogate
 * ({@code 400 invalid_field} naming the field). All of it is checked before a handler runs, so
 * nothing is stored or published for a refused request. A request without a body passes.
 */
public final class StrictInput {

  private StrictInput() {
  }

  /** After a {@code BodyHandler}: refuses the request or passes it on unchanged. */
  public static Handler<RoutingContext> json() {
    return ctx -> {
      Buffer body = ctx.body().buffer();
      if (body == null || body.length() == 0) {
        ctx.next();
        return;
      }
      ApiError refusal = mediaTypeProblem(ctx.request().getHeader("content-type"));
      if (refusal == null) {
        refusal = bodyProblem(body);
      }
      if (refusal != null) {
        refusal.send(ctx);
      } else {
        ctx.next();
      }
    };
  }

  /**
   * A body that could not be stored as text or jsonb: malformed UTF-8, or a JSON string with a NUL
   * or a lone surrogate. Null when the body is fine (or not JSON, which is the parser's to say).
   */
  public static ApiError bodyProblem(Buffer body) {
    int bad = Utf8.firstMalformed(body);
    if (bad >= 0) {
      return ApiError.badRequest("invalid_utf8", "the body is not well-formed UTF-8 (byte "
          + String.format("0x%02X", body.getByte(bad) & 0xFF) + " at offset " + bad + ")", null);
    }
    JsonStrings.Problem p = JsonStrings.firstUnstorable(body);
    if (p != null) {
      return ApiError.badRequest("invalid_field", p.field() + ": " + p.reason(), p.field());
    }
    return null;
  }

  /** 415 unless the header says {@code application/json}, with no charset other than UTF-8. */
  static ApiError mediaTypeProblem(String header) {
    if (header == null || header.isBlank()) {
      return unsupported("a JSON body needs Content-Type: application/json");
    }
    String[] parts = header.split(";");
    if (!parts[0].trim().equalsIgnoreCase("application/json")) {
      return unsupported("Content-Type " + printable(parts[0].trim()) + " is not accepted here: send application/json");
    }
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv[0].trim().equalsIgnoreCase("charset")) {
        String charset = kv.length < 2 ? "" : kv[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          return unsupported("charset " + printable(charset) + " is not accepted: JSON bodies are UTF-8");
        }
      }
    }
    return null;
  }

  private static ApiError unsupported(String message) {
    return new ApiError(415, "unsupported_media_type", message);
  }

  static String printable(String s) {
    String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
