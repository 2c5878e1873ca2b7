package dev.esprouter.common;

import io.vertx.core.json.JsonObject;

/**
 * What a message says, shared by every recipient of a batch: inline {@code subject}/{@code html}/
 * {@code text} (with {@code {{name}}} placeholders filled per recipient) or a {@code template} name.
 * Fields a channel does not use are null.
 */
public record Content(String from, String replyTo, String subject, String html, String text, String template,
                      String locale) {

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putIf(o, "from", from);
    putIf(o, "reply_to", replyTo);
    putIf(o, "subject", subject);
    putIf(o, "html", html);
    putIf(o, "text", text);
    putIf(o, "template", template);
    putIf(o, "locale", locale);
    return o;
  }

  public static Content fromJson(JsonObject o) {
    if (o == null) {
      return new Content(null, null, null, null, null, null, null);
    }
    return new Content(o.getString("from"), o.getString("reply_to"), o.getString("subject"), o.getString("html"),
        o.getString("text"), o.getString("template"), o.getString("locale"));
  }

  private static void putIf(JsonObject o, String k, String v) {
    if (v != null) {
      o.put(k, v);
    }
  }
}
