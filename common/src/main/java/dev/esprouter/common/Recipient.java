package dev.esprouter.common;

import io.vertx.core.json.JsonObject;

/**
 * One recipient of a chunk: the router's message id (carried to the provider in its correlation
 * field), the address ({@code to}: email, E.164 number or Telegram chat id), per-recipient
 * substitution {@code data}, and free {@code metadata} echoed in status and events.
 */
public record Recipient(String messageId, String to, JsonObject data, JsonObject metadata) {

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("id", messageId).put("to", to);
    if (data != null && !data.isEmpty()) {
      o.put("data", data);
    }
    if (metadata != null && !metadata.isEmpty()) {
      o.put("metadata", metadata);
    }
    return o;
  }

  public static Recipient fromJson(JsonObject o) {
    return new Recipient(o.getString("id"), o.getString("to"), o.getJsonObject("data"), o.getJsonObject("metadata"));
  }
}
