package dev.esprouter.ingress.templates;

import dev.esprouter.providers.telegram.TelegramText;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A Telegram template: {@code text} (1 to 4096 characters, Telegram's limit for a message) with
 * {@code {{name}}} placeholders, an optional {@code parse_mode} ({@code HTML} or {@code MarkdownV2},
 * whose markup is checked now; values are escaped for it when sent) and optional {@code defaults}.
 */
final class TelegramRules {

  static final int TEXT_MAX = 4096;

  private TelegramRules() {
  }

  /** The stored body: {@code {text, parse_mode, defaults}}. */
  static JsonObject body(JsonObject in) {
    Object raw = in.getValue("text");
    if (!(raw instanceof String text) || text.isBlank()) {
      throw TemplateRefusal.of(raw == null ? "missing_field" : "invalid_field", "text",
          "a Telegram template needs a non-empty text");
    }
    if (text.length() > TEXT_MAX) {
      throw TemplateRefusal.of("template_too_long", "text", "is " + text.length() + " characters; Telegram allows at most "
          + TEXT_MAX);
    }
    String parseMode = null;
    Object mode = in.getValue("parse_mode");
    if (mode != null) {
      parseMode = mode instanceof String s ? TelegramText.parseMode(s) : null;
      if (parseMode == null) {
        throw TemplateRefusal.of("invalid_field", "parse_mode", "must be HTML or MarkdownV2 (or absent for plain text)");
      }
    }
    Set<String> placeholders = Placeholders.of("text", text);
    String markup = TelegramText.problem(text, parseMode);
    if (markup != null) {
      throw TemplateRefusal.of("invalid_field", "text", "is not valid " + parseMode + ": " + markup);
    }
    JsonObject defaults = Placeholders.defaults(in.getValue("defaults"), placeholders);
    return new JsonObject().put("text", text).put("parse_mode", parseMode).put("defaults", defaults);
  }
}
