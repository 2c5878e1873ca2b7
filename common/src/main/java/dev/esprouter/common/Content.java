package dev.esprouter.common;

import io.vertx.core.json.JsonObject;

/**
 * What a message says, shared by every recipient of a batch: inline {@code subject}/{@code html}/
 * {@code text} (with {@code {{name}}} placeholders filled per recipient) or a {@code template} name.
 * Fields a channel does not use are null. {@code locale} is a canonical tag ({@link Language}): the
 * language the content is in. {@code parseMode} is Telegram's {@code HTML} or {@code MarkdownV2}
 * (values substituted into the text are escaped for it), null for plain text.
 */
public record Content(String from, String replyTo, String subject, String html, String text, String template,
                      String locale, String parseMode) {

  public Content(String from, String replyTo, String subject, String html, String text, String template,
                 String locale) {
    this(from, replyTo, subject, html, text, template, locale, null);
  }

  public Content withLocale(String l) {
    return new Content(from, replyTo, subject, html, text, template, l, parseMode);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    putIf(o, "from", from);
    putIf(o, "reply_to", replyTo);
    putIf(o, "subject", subject);
    putIf(o, "html", html);
    putIf(o, "text", text);
    putIf(o, "template", template);
    putIf(o, "locale", locale);
    putIf(o, "parse_mode", parseMode);
    return o;
  }

  public static Content fromJson(JsonObject o) {
    if (o == null) {
      return new Content(null, null, null, null, null, null, null, null);
    }
    return new Content(o.getString("from"), o.getString("reply_to"), o.getString("subject"), o.getString("html"),
        o.getString("text"), o.getString("template"), o.getString("locale"), o.getString("parse_mode"));
  }

  private static void putIf(JsonObject o, String k, String v) {
    if (v != null) {
      o.put(k, v);
    }
  }
}
