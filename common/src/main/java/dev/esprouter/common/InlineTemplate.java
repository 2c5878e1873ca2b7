package dev.esprouter.common;

import io.vertx.core.json.JsonObject;

/**
 * Fills {@code {{name}}} placeholders from a recipient's data. In HTML the values are escaped;
 * a placeholder with no value becomes empty. Whitespace inside the braces is ignored
 * ({@code {{ name }}}). Single pass, no recursion: a value containing braces is copied as is.
 */
public final class InlineTemplate {

  private InlineTemplate() {
  }

  /** Appends a substituted value to the output, escaped for where it lands. */
  @FunctionalInterface
  public interface Escaper {
    void append(String value, StringBuilder out);
  }

  private static final Escaper RAW = (v, out) -> out.append(v);
  private static final Escaper HTML = InlineTemplate::escapeHtml;

  public static String render(String template, JsonObject data, boolean html) {
    return render(template, data, html ? HTML : RAW);
  }

  /** Like {@link #render(String, JsonObject, boolean)}, each value escaped by {@code escaper} (e.g. Telegram's MarkdownV2). */
  public static String render(String template, JsonObject data, Escaper escaper) {
    if (template == null) {
      return null;
    }
    int open = template.indexOf("{{");
    if (open < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 32);
    int from = 0;
    while (open >= 0) {
      int close = template.indexOf("}}", open + 2);
      if (close < 0) {
        break;
      }
      out.append(template, from, open);
      String name = template.substring(open + 2, close).trim();
      Object value = data == null ? null : data.getValue(name);
      if (value != null) {
        escaper.append(String.valueOf(value), out);
      }
      from = close + 2;
      open = template.indexOf("{{", from);
    }
    out.append(template, from, template.length());
    return out.toString();
  }

  /** The placeholder names used in a template, for validation. */
  public static java.util.Set<String> placeholders(String template) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    if (template == null) {
      return names;
    }
    int open = template.indexOf("{{");
    while (open >= 0) {
      int close = template.indexOf("}}", open + 2);
      if (close < 0) {
        break;
      }
      names.add(template.substring(open + 2, close).trim());
      open = template.indexOf("{{", close + 2);
    }
    return names;
  }

  public static void escapeHtml(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
  }
}
