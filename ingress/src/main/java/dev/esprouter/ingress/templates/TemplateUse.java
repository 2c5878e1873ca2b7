package dev.esprouter.ingress.templates;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.providers.meta.MetaTemplateParams;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a send's content became once its template was looked up ({@link TemplateChecks#prepare}),
 * shared by all of the request's recipients: the content to queue (for Telegram and email the
 * template's text with its placeholders, for WhatsApp the template's name in the language found),
 * the language actually used, and what each recipient's {@code data} must give. Checking one
 * recipient is a few map lookups ({@link #problem}); nothing is rendered per recipient.
 */
public final class TemplateUse {

  /** Where the content came from. */
  public enum Kind {
    /** No template: the request's own content. */
    INLINE,
    /** A template of the tenant's registry. */
    REGISTRY,
    /** An email template of {@code ESP_TEMPLATES_DIR} (the instance-wide set). */
    FOLDER,
    /** A WhatsApp template the registry does not know, sent as named (the tenant allows it; Meta checks it). */
    PASS_THROUGH
  }

  private final Kind kind;
  private final Content content;
  private final Template template;
  private final Set<String> required;
  private final JsonObject defaults;

  TemplateUse(Kind kind, Content content, Template template, Set<String> required, JsonObject defaults) {
    this.kind = kind;
    this.content = content;
    this.template = template;
    this.required = required;
    this.defaults = defaults;
  }

  public Kind kind() {
    return kind;
  }

  /** The content to queue: every recipient shares it. */
  public Content content() {
    return content;
  }

  /** The language the content is in (canonical), as recorded on the messages; null when unknown. */
  public String language() {
    return content.locale();
  }

  /** The registry template used (null unless {@link Kind#REGISTRY}). */
  public Template template() {
    return template;
  }

  /** The data keys every recipient must give (or the template defaults). */
  public Set<String> required() {
    return required;
  }

  /**
   * What is wrong with one recipient's {@code data} for this template (400
   * {@code template_parameters} naming {@code field}), or null: a required value missing (with no
   * default) and, for a WhatsApp registry template, a template parameter it does not take (Meta
   * refuses a send whose parameter count differs: 132000).
   */
  public ApiError problem(JsonObject data, String field) {
    if (kind == Kind.INLINE || kind == Kind.PASS_THROUGH) {
      return null;
    }
    List<String> missing = new ArrayList<>();
    for (String key : required) {
      Object v = data == null ? null : data.getValue(key);
      // Meta refuses an empty text parameter; Telegram and email may fill a placeholder with nothing.
      boolean blank = v == null || (isWhatsApp() && String.valueOf(v).isBlank());
      if (blank && !defaults.containsKey(key)) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      return ApiError.badRequest("template_parameters", field + ": template '" + content.template() + "' ("
          + language() + ") needs " + String.join(", ", required) + "; missing: " + String.join(", ", missing), field);
    }
    if (kind == Kind.REGISTRY && isWhatsApp() && data != null) {
      for (String key : data.fieldNames()) {
        if (MetaTemplateParams.isParameterKey(key) && !required.contains(key)) {
          return ApiError.badRequest("template_parameters", field + ": '" + key + "' is not a parameter of template '"
              + content.template() + "' (" + language() + "), which takes "
              + (required.isEmpty() ? "none" : String.join(", ", required)), field);
        }
      }
    }
    return null;
  }

  /** The recipient's data with the template's defaults where it gives no value (the same object when none is needed). */
  public JsonObject withDefaults(JsonObject data) {
    if (defaults.isEmpty()) {
      return data;
    }
    JsonObject out = null;
    for (String key : defaults.fieldNames()) {
      if (data == null || data.getValue(key) == null) {
        if (out == null) {
          out = data == null ? new JsonObject() : data.copy();
        }
        out.put(key, defaults.getValue(key));
      }
    }
    return out == null ? data : out;
  }

  /** Whether any recipient may need {@link #withDefaults}. */
  public boolean hasDefaults() {
    return !defaults.isEmpty();
  }

  private boolean isWhatsApp() {
    return template != null ? template.channel() == Channel.WHATSAPP : kind == Kind.PASS_THROUGH;
  }
}
