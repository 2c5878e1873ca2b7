package dev.esprouter.ingress.templates;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An email template: jte sources for an optional {@code subject} (then every request gives its own)
 * and an {@code html} and/or {@code text} part, with optional {@code defaults}. The sources are
 * compiled and rendered once here ({@link JteRender}); what is stored is the source, the rendered
 * parts with their {@code {{param}}} placeholders, and the params.
 */
final class EmailRules {

  static final int SUBJECT_MAX = 998;
  static final int BODY_MAX = 512 * 1024;

  private EmailRules() {
  }

  /** The sources of the request, checked for presence and size (cheap; before the compile). */
  static Map<String, String> sources(JsonObject in) {
    Map<String, String> sources = new LinkedHashMap<>();
    for (String part : new String[] {"subject", "html", "text"}) {
      Object v = in.getValue(part);
      if (v == null) {
        continue;
      }
      if (!(v instanceof String s) || s.isBlank()) {
        throw TemplateRefusal.of("invalid_field", part, "must be a non-empty jte template");
      }
      int max = part.equals("subject") ? SUBJECT_MAX : BODY_MAX;
      if (s.length() > max) {
        throw TemplateRefusal.of("template_too_long", part, "is " + s.length() + " characters; at most " + max);
      }
      sources.put(part, s);
    }
    if (!sources.containsKey("html") && !sources.containsKey("text")) {
      throw TemplateRefusal.of("missing_field", "html", "an email template needs html or text (or both)");
    }
    return sources;
  }

  /** Compiles and renders (blocking: call on a worker) and gives the stored body. */
  static JsonObject body(Map<String, String> sources, Object rawDefaults) {
    JteRender.Rendered r = JteRender.render(sources);
    String subject = r.parts().get("subject");
    if (subject != null) {
      subject = subject.strip();
      if (subject.isEmpty() || subject.indexOf('\n') >= 0 || subject.indexOf('\r') >= 0) {
        throw TemplateRefusal.of("invalid_field", "subject", "must render to one non-empty line");
      }
    }
    JsonObject rendered = new JsonObject().put("subject", subject).put("html", r.parts().get("html"))
        .put("text", r.parts().get("text"));
    Set<String> placeholders = Placeholders.of("html", subject, r.parts().get("html"), r.parts().get("text"));
    JsonObject defaults = Placeholders.defaults(rawDefaults, placeholders);
    return new JsonObject()
        .put("subject", sources.get("subject"))
        .put("html", sources.get("html"))
        .put("text", sources.get("text"))
        .put("rendered", rendered)
        .put("params", new JsonArray(new java.util.ArrayList<>(placeholders)))
        .put("defaults", defaults);
  }
}
