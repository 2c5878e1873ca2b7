package dev.esprouter.ingress.templates;

import dev.esprouter.common.InlineTemplate;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code {{name}}} placeholders of Telegram and email templates: filled per recipient from
 * {@code data} (by the providers' personalisation, as for inline content), or from the template's
 * {@code defaults} where a recipient gives no value.
 */
final class Placeholders {

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

  private Placeholders() {
  }

  /** The placeholders of these texts; a name that is not {@link #NAME} is refused. */
  static Set<String> of(String field, String... texts) {
    Set<String> names = new LinkedHashSet<>();
    for (String t : texts) {
      for (String n : InlineTemplate.placeholders(t)) {
        if (!NAME.matcher(n).matches()) {
          throw TemplateRefusal.of("template_parameters", field, "'{{" + (n.length() > 40 ? n.substring(0, 40) : n)
              + "}}' is not a placeholder name (letters, digits, '_', '.', '-')");
        }
        names.add(n);
      }
    }
    return names;
  }

  /**
   * The template's {@code defaults}: an object of text values, each for one of its placeholders
   * (a default for a name the template does not use is refused: it is a typo waiting to happen).
   */
  static JsonObject defaults(Object raw, Set<String> placeholders) {
    if (raw == null) {
      return new JsonObject();
    }
    if (!(raw instanceof JsonObject given)) {
      throw TemplateRefusal.of("invalid_field", "defaults", "must be an object of placeholder name to text");
    }
    JsonObject out = new JsonObject();
    for (String k : given.fieldNames()) {
      Object v = given.getValue(k);
      if (!placeholders.contains(k)) {
        throw TemplateRefusal.of("template_parameters", "defaults." + safe(k), "is not a placeholder of the template"
            + (placeholders.isEmpty() ? " (it has none)" : " (it has " + String.join(", ", placeholders) + ")"));
      }
      if (!(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
        throw TemplateRefusal.of("invalid_field", "defaults." + k, "must be a text, number or boolean");
      }
      out.put(k, String.valueOf(v));
    }
    return out;
  }

  static String safe(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 64; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
