package dev.esprouter.providers.send;

import dev.esprouter.common.InlineTemplate;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps the {@code {{name}}} placeholders of inline content to a provider's own per-recipient
 * substitution fields. HTML and text get separate fields because only HTML values are escaped,
 * and the fields get neutral generated names so any placeholder name is safe in the provider's syntax.
 */
public final class MergeFields {

  private final Map<String, String> htmlFields = new TreeMap<>();
  private final Map<String, String> textFields = new TreeMap<>();

  /** Placeholders of {@code html} become fields {@code prefix + "H" + i}, of the text parts {@code prefix + "T" + i}. */
  public MergeFields(String html, Set<String> textPlaceholders, String prefix) {
    int i = 0;
    for (String n : InlineTemplate.placeholders(html)) {
      htmlFields.put(n, prefix + "H" + i++);
    }
    i = 0;
    for (String n : textPlaceholders) {
      textFields.put(n, prefix + "T" + i++);
    }
  }

  /** The content with each placeholder replaced by {@code open + field + close} (e.g. {@code %%EspT0%%}). */
  public String rewriteHtml(String html, String open, String close) {
    return InlineTemplate.render(html, references(htmlFields, open, close), false);
  }

  public String rewriteText(String text, String open, String close) {
    return InlineTemplate.render(text, references(textFields, open, close), false);
  }

  /** Field name → value for one recipient (escaped for HTML fields). */
  public Map<String, String> values(JsonObject data) {
    Map<String, String> out = new TreeMap<>();
    htmlFields.forEach((name, field) -> out.put(field, InlineTemplate.render("{{" + name + "}}", data, true)));
    textFields.forEach((name, field) -> out.put(field, InlineTemplate.render("{{" + name + "}}", data, false)));
    return out;
  }

  private static JsonObject references(Map<String, String> fields, String open, String close) {
    JsonObject o = new JsonObject();
    fields.forEach((name, field) -> o.put(name, open + field + close));
    return o;
  }
}
