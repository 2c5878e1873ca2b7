package dev.esprouter.sandbox.meta;

import dev.esprouter.sandbox.core.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Meta checks when a template is created ({@code POST /<waba-id>/message_templates}), written
 * from Meta's template documentation (docs/TEMPLATES.md § Rules): the name, the language code, the
 * category, one body of at most 1024 characters whose {@code {{n}}} run from 1 without gaps and
 * each have an example, an optional header (text of at most 60 characters with at most one
 * parameter, or a media format with an example handle), an optional footer of at most 60
 * characters without parameters, and at most 10 buttons (at most 2 URL, 1 phone number, 1 copy
 * code; button text at most 25 characters, URL at most 2000 with at most one parameter at its end,
 * phone number at most 20). A refusal is Meta's Graph error: 400, code 100 "Invalid parameter",
 * with {@code error_subcode} 2388040 for a length limit and 2388047 for a header format and
 * {@code error_user_title}/{@code error_user_msg} saying what is wrong.
 */
final class TemplateRules {

  static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,512}");
  static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
  private static final Pattern PARAM = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
  private static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
  private static final Set<String> MEDIA = Set.of("IMAGE", "VIDEO", "DOCUMENT");
  static final int LENGTH_LIMIT = 2388040;
  static final int HEADER_FORMAT = 2388047;

  /** A created template's send shape, or the refusal. */
  record Checked(SandboxTemplate template, Reply refusal) {
  }

  private TemplateRules() {
  }

  static Checked check(String id, String waba, JsonObject body) {
    String name = text(body, "name");
    if (name == null || !NAME.matcher(name).matches()) {
      return refuse(0, "Invalid template name", "The name must be 1 to 512 lowercase letters, digits or underscores.");
    }
    String language = text(body, "language");
    if (language == null || !LANGUAGE.matcher(language).matches()) {
      return refuse(0, "Invalid language", "The language code '" + language + "' is not one WhatsApp supports "
          + "(en, en_US, pt_BR, …).");
    }
    String category = text(body, "category");
    if (category == null || !CATEGORIES.contains(category.toUpperCase(Locale.ROOT))) {
      return refuse(0, "Invalid category", "The category must be MARKETING, UTILITY or AUTHENTICATION.");
    }
    if (!(body.getValue("components") instanceof JsonArray components) || components.isEmpty()) {
      return refuse(0, "Missing components", "A template needs a components array with a BODY.");
    }
    Shape shape = new Shape();
    for (Object c : components) {
      if (!(c instanceof JsonObject component)) {
        return refuse(0, "Invalid component", "Each component must be an object.");
      }
      String problem = component(component, shape);
      if (problem != null) {
        int subcode = problem.startsWith("#") ? Integer.parseInt(problem.substring(1, problem.indexOf(' ')))
            : 0;
        return refuse(subcode, "Invalid template component", subcode == 0 ? problem
            : problem.substring(problem.indexOf(' ') + 1));
      }
    }
    if (shape.bodies != 1) {
      return refuse(0, "Missing body", "A template needs exactly one BODY component.");
    }
    return new Checked(new SandboxTemplate(id, waba, name, language, category.toUpperCase(Locale.ROOT),
        components.copy(), shape.bodyParams, shape.headerFormat, shape.headerParams, shape.urlButtonParams), null);
  }

  /** What a template's components add up to while they are checked. */
  private static final class Shape {
    int bodies;
    int headers;
    int footers;
    int buttonGroups;
    int bodyParams;
    String headerFormat;
    int headerParams;
    final Set<Integer> urlButtonParams = new HashSet<>();
  }

  /** The problem of one component (prefixed "#subcode " when Meta has a subcode for it), or null. */
  private static String component(JsonObject c, Shape shape) {
    String type = upper(text(c, "type"));
    String text = text(c, "text");
    JsonObject example = c.getValue("example") instanceof JsonObject e ? e : new JsonObject();
    switch (type == null ? "" : type) {
      case "BODY" -> {
        shape.bodies++;
        if (text == null) {
          return "The BODY needs a text.";
        }
        if (text.length() > 1024) {
          return "#" + LENGTH_LIMIT + " The BODY text is longer than 1024 characters.";
        }
        int n = params(text);
        if (n < 0) {
          return "The BODY's parameters must be {{1}}, {{2}}, … in sequence, without gaps.";
        }
        shape.bodyParams = n;
        if (n > 0) {
          JsonArray rows = example.getValue("body_text") instanceof JsonArray a ? a : null;
          Object first = rows == null || rows.isEmpty() ? null : rows.getValue(0);
          if (!(first instanceof JsonArray values) || values.size() != n) {
            return "The BODY has " + n + " parameters: example.body_text must give one example row of " + n
                + " values.";
          }
        }
      }
      case "HEADER" -> {
        shape.headers++;
        String format = upper(text(c, "format"));
        if (shape.headers > 1) {
          return "A template has at most one HEADER.";
        }
        if ("TEXT".equals(format)) {
          if (text == null) {
            return "#" + HEADER_FORMAT + " A TEXT header needs a text.";
          }
          if (text.length() > 60) {
            return "#" + LENGTH_LIMIT + " The HEADER text is longer than 60 characters.";
          }
          int n = params(text);
          if (n < 0 || n > 1) {
            return "#" + HEADER_FORMAT + " A TEXT header takes at most one parameter, {{1}}.";
          }
          if (n == 1 && !(example.getValue("header_text") instanceof JsonArray h && h.size() == 1)) {
            return "The HEADER's {{1}} needs example.header_text with one value.";
          }
          shape.headerParams = n;
        } else if (format != null && MEDIA.contains(format)) {
          if (!(example.getValue("header_handle") instanceof JsonArray h) || h.isEmpty()) {
            return "A " + format + " header needs example.header_handle.";
          }
          shape.headerParams = 1;
        } else {
          return "#" + HEADER_FORMAT + " The HEADER format must be TEXT, IMAGE, VIDEO or DOCUMENT.";
        }
        shape.headerFormat = format;
      }
      case "FOOTER" -> {
        shape.footers++;
        if (shape.footers > 1) {
          return "A template has at most one FOOTER.";
        }
        if (text == null) {
          return "The FOOTER needs a text.";
        }
        if (text.length() > 60) {
          return "#" + LENGTH_LIMIT + " The FOOTER text is longer than 60 characters.";
        }
        if (params(text) != 0) {
          return "The FOOTER cannot have parameters.";
        }
      }
      case "BUTTONS" -> {
        shape.buttonGroups++;
        return buttons(c, shape);
      }
      default -> {
        return "A component type must be HEADER, BODY, FOOTER or BUTTONS.";
      }
    }
    return null;
  }

  private static String buttons(JsonObject c, Shape shape) {
    if (shape.buttonGroups > 1) {
      return "A template has at most one BUTTONS component.";
    }
    if (!(c.getValue("buttons") instanceof JsonArray buttons) || buttons.isEmpty() || buttons.size() > 10) {
      return "BUTTONS must hold 1 to 10 buttons.";
    }
    int url = 0;
    int phone = 0;
    int copy = 0;
    for (int i = 0; i < buttons.size(); i++) {
      if (!(buttons.getValue(i) instanceof JsonObject b)) {
        return "Each button must be an object.";
      }
      String type = upper(text(b, "type"));
      String label = text(b, "text");
      if (!"COPY_CODE".equals(type) && (label == null || label.length() > 25)) {
        return "#" + LENGTH_LIMIT + " A button's text is required and at most 25 characters.";
      }
      switch (type == null ? "" : type) {
        case "QUICK_REPLY" -> {
        }
        case "URL" -> {
          url++;
          String link = text(b, "url");
          if (link == null || link.length() > 2000) {
            return "#" + LENGTH_LIMIT + " A URL button's url is required and at most 2000 characters.";
          }
          int n = params(link);
          if (n < 0 || n > 1 || (n == 1 && !link.trim().endsWith("}}"))) {
            return "A URL button takes at most one parameter, {{1}}, at the end of its url.";
          }
          if (n == 1) {
            if (!(b.getValue("example") instanceof JsonArray e) || e.isEmpty()) {
              return "A URL button with {{1}} needs an example.";
            }
            shape.urlButtonParams.add(i);
          }
        }
        case "PHONE_NUMBER" -> {
          phone++;
          String number = text(b, "phone_number");
          if (number == null || number.length() > 20) {
            return "#" + LENGTH_LIMIT + " A PHONE_NUMBER button's phone_number is required and at most 20 characters.";
          }
        }
        case "COPY_CODE" -> copy++;
        default -> {
          return "A button type must be QUICK_REPLY, URL, PHONE_NUMBER or COPY_CODE.";
        }
      }
    }
    if (url > 2 || phone > 1 || copy > 1) {
      return "A template has at most 2 URL buttons, 1 PHONE_NUMBER button and 1 COPY_CODE button.";
    }
    return null;
  }

  /** How many parameters {@code {{1}}…{{n}}} a text has, or -1 when they are not 1..n without gaps or not numbers. */
  static int params(String text) {
    Set<Integer> seen = new TreeSet<>();
    Matcher m = PARAM.matcher(text);
    while (m.find()) {
      String p = m.group(1);
      if (!p.matches("[1-9][0-9]{0,3}")) {
        return -1;
      }
      seen.add(Integer.parseInt(p));
    }
    int expected = 1;
    for (int n : seen) {
      if (n != expected++) {
        return -1;
      }
    }
    return seen.size();
  }

  private static Checked refuse(int subcode, String title, String message) {
    return new Checked(null, invalid(subcode, title, message));
  }

  /** Meta's answer to an invalid template: 400, code 100, the subcode when it has one, a title and a sentence. */
  static Reply invalid(int subcode, String title, String message) {
    JsonObject e = new JsonObject().put("message", "Invalid parameter").put("type", "OAuthException").put("code", 100);
    if (subcode > 0) {
      e.put("error_subcode", subcode);
    }
    e.put("is_transient", false).put("error_user_title", title).put("error_user_msg", message)
        .put("fbtrace_id", "ASandboxTrace" + Long.toHexString(System.nanoTime()));
    return Reply.json(400, new JsonObject().put("error", e));
  }

  private static String text(JsonObject o, String key) {
    return o.getValue(key) instanceof String s && !s.isBlank() ? s : null;
  }

  private static String upper(String s) {
    return s == null ? null : s.toUpperCase(Locale.ROOT);
  }
}
