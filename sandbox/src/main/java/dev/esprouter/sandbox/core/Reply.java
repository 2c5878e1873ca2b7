package dev.esprouter.sandbox.core;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** A provider's answer to a send: status, headers and body, written after the profile's latency. */
public record Reply(int status, Map<String, String> headers, Buffer body) {

  public static Reply json(int status, JsonObject body) {
    return new Reply(status, Map.of("content-type", "application/json"), body.toBuffer());
  }

  public static Reply json(int status, JsonArray body) {
    return new Reply(status, Map.of("content-type", "application/json"), body.toBuffer());
  }

  public static Reply empty(int status) {
    return new Reply(status, Map.of(), Buffer.buffer());
  }

  public Reply withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, Map.copyOf(h), body);
  }
}
