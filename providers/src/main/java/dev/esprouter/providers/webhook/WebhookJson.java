package dev.esprouter.providers.webhook;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reading webhook bodies and their fields. Providers are loose about types (SparkPost and Meta send
 * Unix seconds as strings, SocketLabs numbers as strings or ints), so every reader accepts both
 * and turns anything it cannot read into a {@link MalformedWebhookException} naming the field.
 */
public final class WebhookJson {

  private WebhookJson() {
  }

  public static JsonObject object(Buffer body) {
    Object value = decode(body);
    if (value instanceof JsonObject o) {
      return o;
    }
    throw new MalformedWebhookException("body is not a JSON object");
  }

  public static JsonArray array(Buffer body) {
    Object value = decode(body);
    if (value instanceof JsonArray a) {
      return a;
    }
    throw new MalformedWebhookException("body is not a JSON array");
  }

  private static Object decode(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new MalformedWebhookException("body is empty");
    }
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new MalformedWebhookException("body is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The element at {@code index} as an object; anything else is malformed. */
  public static JsonObject objectAt(JsonArray array, int index, String path) {
    Object v = array.getValue(index);
    if (v instanceof JsonObject o) {
      return o;
    }
    throw new MalformedWebhookException(path + "[" + index + "] is not a JSON object");
  }

  /** A nested object, or an empty one when absent; a value of another type is malformed. */
  public static JsonObject optObject(JsonObject o, String key, String path) {
    Object v = o.getValue(key);
    if (v == null) {
      return new JsonObject();
    }
    if (v instanceof JsonObject obj) {
      return obj;
    }
    throw new MalformedWebhookException(path + "." + key + " is not a JSON object");
  }

  /** A nested array, or an empty one when absent; a value of another type is malformed. */
  public static JsonArray optArray(JsonObject o, String key, String path) {
    Object v = o.getValue(key);
    if (v == null) {
      return new JsonArray();
    }
    if (v instanceof JsonArray arr) {
      return arr;
    }
    throw new MalformedWebhookException(path + "." + key + " is not a JSON array");
  }

  /** A scalar field as text (strings as they are, numbers and booleans printed), or null. */
  public static String text(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null || v instanceof JsonObject || v instanceof JsonArray) {
      return null;
    }
    return v.toString();
  }

  public static String requiredText(JsonObject o, String key, String path) {
    String v = text(o, key);
    if (v == null || v.isEmpty()) {
      throw new MalformedWebhookException(path + "." + key + " is missing");
    }
    return v;
  }

  /** A field holding an integer as a number or a numeric string, or {@code fallback} when absent. */
  public static long integer(JsonObject o, String key, String path, long fallback) {
    Object v = o.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new MalformedWebhookException(path + "." + key + " is not an integer: " + v);
    }
  }

  /** Unix seconds given as a number or a numeric string. */
  public static Instant epochSeconds(JsonObject o, String key, String path) {
    if (o.getValue(key) == null) {
      throw new MalformedWebhookException(path + "." + key + " is missing");
    }
    return Instant.ofEpochSecond(integer(o, key, path, 0));
  }

  /**
   * An ISO 8601 date-time with an offset ({@code 2024-01-15T12:01:05.17-05:00}, {@code ...Z}) or,
   * as .NET serializers write UTC times, without one (taken as UTC).
   */
  public static Instant isoInstant(JsonObject o, String key, String path) {
    String v = requiredText(o, key, path);
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new MalformedWebhookException(path + "." + key + " is not an ISO 8601 date-time: " + v);
      }
    }
  }

  /** The given fields of {@code o} that are present, for the event timeline. */
  public static JsonObject pick(JsonObject o, String... keys) {
    JsonObject out = new JsonObject();
    for (String k : keys) {
      Object v = o.getValue(k);
      if (v != null) {
        out.put(k, v);
      }
    }
    return out;
  }
}
