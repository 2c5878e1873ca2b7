package dev.esprouter.sandbox.core;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** Reading request bodies and checking addresses the lenient way the providers do. */
public final class Bodies {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+");
  private static final Pattern NAMED_EMAIL = Pattern.compile("[^<>]*<([^<>]+)>\\s*");

  private Bodies() {
  }

  /** The body as a JSON object, or null when it is empty, not JSON, or not an object. */
  public static JsonObject object(Buffer body) {
    Object v = any(body);
    return v instanceof JsonObject o ? o : null;
  }

  /** The body as a JSON array, or null when it is not one. */
  public static JsonArray array(Buffer body) {
    Object v = any(body);
    return v instanceof JsonArray a ? a : null;
  }

  /** The decoded body (JsonObject, JsonArray or a scalar), or null when it is empty or not JSON. */
  public static Object any(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      return null;
    }
  }

  public static boolean isEmail(String s) {
    return s != null && EMAIL.matcher(s.trim()).matches();
  }

  /** The address of {@code Name <a@b.c>} or {@code a@b.c}, or null when neither. */
  public static String emailOf(String s) {
    if (s == null) {
      return null;
    }
    var m = NAMED_EMAIL.matcher(s.trim());
    String addr = m.matches() ? m.group(1).trim() : s.trim();
    return isEmail(addr) ? addr : null;
  }

  /** A JSON value as a non-blank string, or null. */
  public static String text(Object v) {
    return v instanceof String s && !s.isBlank() ? s : null;
  }
}
