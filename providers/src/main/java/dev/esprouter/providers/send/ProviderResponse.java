package dev.esprouter.providers.send;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What a provider answered: status, headers, body (possibly empty). */
public record ProviderResponse(int status, MultiMap headers, Buffer body) {

  public static ProviderResponse of(int status, Buffer body) {
    return new ProviderResponse(status, MultiMap.caseInsensitiveMultiMap(), body == null ? Buffer.buffer() : body);
  }

  public ProviderResponse withHeader(String name, String value) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers).add(name, value);
    return new ProviderResponse(status, copy, body);
  }

  public String header(String name) {
    return headers.get(name);
  }

  /** The body as a JSON object, or an empty object when it is empty or not an object. */
  public JsonObject jsonObject() {
    try {
      Object v = body.length() == 0 ? null : io.vertx.core.json.Json.decodeValue(body);
      return v instanceof JsonObject o ? o : new JsonObject();
    } catch (DecodeException e) {
      return new JsonObject();
    }
  }

  /** The body as a JSON array, or null when it is not one. */
  public JsonArray jsonArray() {
    try {
      Object v = body.length() == 0 ? null : io.vertx.core.json.Json.decodeValue(body);
      return v instanceof JsonArray a ? a : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  /** The first 300 characters of the body, for error reasons. */
  public String bodySnippet() {
    String s = body.toString();
    return s.length() <= 300 ? s : s.substring(0, 300);
  }
}
