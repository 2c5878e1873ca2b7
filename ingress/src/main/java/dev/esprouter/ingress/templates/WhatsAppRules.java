package dev.esprouter.ingress.templates;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Meta's rules for a WhatsApp template, checked before anything is stored (docs/TEMPLATES.md
 * § WhatsApp rules, with their sources): name {@code [a-z0-9_]{1,512}}; category marketing, utility
 * or authentication; exactly one body of at most 1024 characters; positional parameters
 * {@code {{1}}…{{n}}} without gaps, not at the very start or end of the body and not next to each
 * other, each with an example; an optional header (text of at most 60 characters with at most one
 * parameter, or an image, video or document with an example handle); an optional footer of at most
 * 60 characters without parameters; at most 10 buttons (at most 2 URL, 1 phone number, 1 copy code;
 * quick replies grouped together; text at most 25 characters, URL at most 2000 with at most one
 * parameter at its end, phone number at most 20 characters).
 *
 * <p>What is kept: the components with their types, formats and button types in lower case, every
 * other field as given (Meta reads it at submission).
 */
final class WhatsAppRules {

  static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,512}");
  static final Set<String> CATEGORIES = Set.of("marketing", "utility", "authentication");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
  private static final Set<String> TYPES = Set.of("header", "body", "footer", "buttons");
  private static final Set<String> HEADER_FORMATS = Set.of("text", "image", "video", "document");
  private static final Set<String> BUTTON_TYPES = Set.of("quick_reply", "url", "phone_number", "copy_code", "otp");
  static final int BODY_MAX = 1024;
  static final int HEADER_MAX = 60;
  static final int FOOTER_MAX = 60;
  static final int BUTTONS_MAX = 10;
  static final int BUTTON_TEXT_MAX = 25;
  static final int URL_MAX = 2000;
  static final int PHONE_MAX = 20;

  private WhatsAppRules() {
  }

  /** The category, lower case; refused unless it is one of Meta's three. */
  static String category(Object raw) {
    if (!(raw instanceof String s) || !CATEGORIES.contains(s.toLowerCase(Locale.ROOT))) {
      throw TemplateRefusal.of(raw == null ? "missing_field" : "invalid_field", "category",
          "must be marketing, utility or authentication");
    }
    return s.toLowerCase(Locale.ROOT);
  }

  /** The checked components, normalised; a {@link TemplateRefusal} names the first problem and its path. */
  static JsonArray components(Object raw) {
    if (!(raw instanceof JsonArray list) || list.isEmpty()) {
      throw TemplateRefusal.of(raw == null ? "missing_field" : "invalid_field", "components",
          "must be an array of header, body, footer and buttons components with one body");
    }
    JsonArray out = new JsonArray();
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "components[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject given)) {
        throw TemplateRefusal.of("invalid_field", path, "must be an object");
      }
      JsonObject c = given.copy();
      String type = lower(c, "type");
      if (type == null || !TYPES.contains(type)) {
        throw TemplateRefusal.of("invalid_field", path + ".type", "must be header, body, footer or buttons");
      }
      if (seen.contains(type)) {
        throw TemplateRefusal.of("invalid_field", path + ".type", "a template has at most one " + type);
      }
      seen.add(type);
      switch (type) {
        case "body" -> body(c, path);
        case "header" -> header(c, path);
        case "footer" -> footer(c, path);
        default -> buttons(c, path);
      }
      out.add(c);
    }
    if (!seen.contains("body")) {
      throw TemplateRefusal.of("missing_field", "components", "a template needs a body component");
    }
    return out;
  }

  private static void body(JsonObject c, String path) {
    String text = text(c, "text", path + ".text", BODY_MAX, "a body");
    List<Integer> params = positional(text, path + ".text");
    checkSequence(params, path + ".text");
    if (!params.isEmpty()) {
      String trimmed = text.strip();
      if (trimmed.startsWith("{{") || trimmed.endsWith("}}")) {
        throw TemplateRefusal.of("template_parameters", path + ".text",
            "must not start or end with a parameter (Meta refuses such templates)");
      }
      if (Pattern.compile("}}\\s*\\{\\{").matcher(text).find()) {
        throw TemplateRefusal.of("template_parameters", path + ".text",
            "has parameters next to each other; put text between them (Meta rejects it as INVALID_FORMAT)");
      }
    }
    int n = count(params);
    JsonArray rows = example(c, path).getValue("body_text") instanceof JsonArray a ? a : null;
    if (n > 0 && rows == null) {
      throw TemplateRefusal.of("template_parameters", path + ".example.body_text",
          "the body has " + n + " parameter(s): give one example value each, as [[\"…\", …]]");
    }
    if (rows != null) {
      Object first = rows.isEmpty() ? null : rows.getValue(0);
      if (rows.size() != 1 || !(first instanceof JsonArray values) || values.size() != n || !allText(values)) {
        throw TemplateRefusal.of("template_parameters", path + ".example.body_text",
            "must be one row of " + n + " non-empty example value(s), one for each of {{1}}…{{" + n + "}}");
      }
    }
  }

  private static void header(JsonObject c, String path) {
    String format = lower(c, "format");
    if (format == null || !HEADER_FORMATS.contains(format)) {
      throw TemplateRefusal.of("invalid_field", path + ".format", "must be text, image, video or document");
    }
    JsonObject example = example(c, path);
    if (!format.equals("text")) {
      if (!(example.getValue("header_handle") instanceof JsonArray h) || h.size() != 1 || !allText(h)) {
        throw TemplateRefusal.of("template_parameters", path + ".example.header_handle",
            "a " + format + " header needs one example media handle (Meta's resumable upload)");
      }
      return;
    }
    String text = text(c, "text", path + ".text", HEADER_MAX, "a text header");
    List<Integer> params = positional(text, path + ".text");
    checkSequence(params, path + ".text");
    if (count(params) > 1) {
      throw TemplateRefusal.of("template_parameters", path + ".text", "a text header takes at most one parameter, {{1}}");
    }
    boolean hasExample = example.getValue("header_text") instanceof JsonArray h && h.size() == 1 && allText(h);
    if (count(params) == 1 && !hasExample) {
      throw TemplateRefusal.of("template_parameters", path + ".example.header_text",
          "the header's {{1}} needs one example value, as [\"…\"]");
    }
    if (params.isEmpty() && example.containsKey("header_text")) {
      throw TemplateRefusal.of("template_parameters", path + ".example.header_text", "the header has no parameter");
    }
  }

  private static void footer(JsonObject c, String path) {
    String text = text(c, "text", path + ".text", FOOTER_MAX, "a footer");
    if (text.contains("{{")) {
      throw TemplateRefusal.of("template_parameters", path + ".text", "a footer cannot have parameters");
    }
  }

  private static void buttons(JsonObject c, String path) {
    if (!(c.getValue("buttons") instanceof JsonArray list) || list.isEmpty() || list.size() > BUTTONS_MAX) {
      throw TemplateRefusal.of("invalid_field", path + ".buttons", "must hold 1 to " + BUTTONS_MAX + " buttons");
    }
    JsonArray out = new JsonArray();
    int url = 0;
    int phone = 0;
    int copy = 0;
    int groups = 0;
    Boolean lastQuickReply = null;
    for (int i = 0; i < list.size(); i++) {
      String at = path + ".buttons[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject given)) {
        throw TemplateRefusal.of("invalid_field", at, "must be an object");
      }
      JsonObject b = given.copy();
      String type = lower(b, "type");
      if (type == null || !BUTTON_TYPES.contains(type)) {
        throw TemplateRefusal.of("invalid_field", at + ".type", "must be quick_reply, url, phone_number, copy_code or otp");
      }
      if (!type.equals("copy_code") && !type.equals("otp")) {
        text(b, "text", at + ".text", BUTTON_TEXT_MAX, "a button");
      }
      switch (type) {
        case "url" -> {
          url++;
          String link = text(b, "url", at + ".url", URL_MAX, "a URL button");
          if (!link.startsWith("https://") && !link.startsWith("http://")) {
            throw TemplateRefusal.of("invalid_field", at + ".url", "must be an http(s) URL");
          }
          List<Integer> params = positional(link, at + ".url");
          if (params.size() > 1 || (params.size() == 1 && (params.get(0) != 1 || !link.strip().endsWith("}}")))
              || (params.isEmpty() && link.contains("{{"))) {
            throw TemplateRefusal.of("template_parameters", at + ".url",
                "takes at most one parameter, {{1}}, at the end of the URL");
          }
          boolean example = b.getValue("example") instanceof JsonArray e && e.size() == 1 && allText(e);
          if (params.size() == 1 && !example) {
            throw TemplateRefusal.of("template_parameters", at + ".example",
                "the URL's {{1}} needs one example, the whole URL as [\"https://…\"]");
          }
        }
        case "phone_number" -> {
          phone++;
          String number = text(b, "phone_number", at + ".phone_number", PHONE_MAX, "a phone number button");
          if (!number.matches("\\+?[0-9]{4,19}")) {
            throw TemplateRefusal.of("invalid_field", at + ".phone_number", "must be a phone number like +15550001234");
          }
        }
        case "copy_code" -> copy++;
        default -> {
        }
      }
      boolean quickReply = type.equals("quick_reply");
      if (lastQuickReply == null || lastQuickReply != quickReply) {
        groups++;
        lastQuickReply = quickReply;
      }
      out.add(b);
    }
    if (url > 2 || phone > 1 || copy > 1) {
      throw TemplateRefusal.of("invalid_field", path + ".buttons",
          "a template has at most 2 url buttons, 1 phone_number button and 1 copy_code button");
    }
    if (groups > 2) {
      throw TemplateRefusal.of("invalid_field", path + ".buttons",
          "quick_reply buttons must be grouped together, before or after the other buttons (Meta's rule)");
    }
    c.put("buttons", out);
  }

  /**
   * The numbers of a text's {@code {{n}}} placeholders in order of appearance; a placeholder that is
   * not a positive whole number (a named one) is refused: the registry takes positional parameters.
   */
  static List<Integer> positional(String text) {
    return positional(text, null);
  }

  static List<Integer> positional(String text, String field) {
    List<Integer> out = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      String p = m.group(1);
      if (!p.matches("[1-9][0-9]{0,3}")) {
        throw TemplateRefusal.of("template_parameters", field, "'{{" + p + "}}' is not a WhatsApp parameter: use "
            + "{{1}}, {{2}}, … in order (named parameters are not supported)");
      }
      out.add(Integer.parseInt(p));
    }
    return out;
  }

  /** How many parameters a text takes: its largest {@code {{n}}} (a number may stand more than once). */
  static int count(List<Integer> params) {
    return params.stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** {{1}}…{{n}}: every number from 1 to the largest, none missing (a number may repeat). */
  private static void checkSequence(List<Integer> params, String field) {
    int max = params.stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int n = 1; n <= max; n++) {
      if (!params.contains(n)) {
        throw TemplateRefusal.of("template_parameters", field, "parameters must run {{1}}, {{2}}, … without gaps; "
            + "{{" + n + "}} is missing");
      }
    }
  }

  private static String text(JsonObject c, String key, String field, int max, String what) {
    Object v = c.getValue(key);
    if (!(v instanceof String s) || s.isBlank()) {
      throw TemplateRefusal.of(v == null ? "missing_field" : "invalid_field", field, what + " needs a non-empty " + key);
    }
    if (s.length() > max) {
      throw TemplateRefusal.of("template_too_long", field, "is " + s.length() + " characters; Meta allows at most " + max
          + " for " + what);
    }
    return s;
  }

  private static JsonObject example(JsonObject c, String path) {
    Object e = c.getValue("example");
    if (e == null) {
      return new JsonObject();
    }
    if (!(e instanceof JsonObject o)) {
      throw TemplateRefusal.of("invalid_field", path + ".example", "must be an object");
    }
    return o;
  }

  private static String lower(JsonObject c, String key) {
    if (!(c.getValue(key) instanceof String s)) {
      return null;
    }
    String l = s.toLowerCase(Locale.ROOT);
    c.put(key, l);
    return l;
  }

  private static boolean allText(JsonArray values) {
    for (Object v : values) {
      if (!(v instanceof String s) || s.isBlank()) {
        return false;
      }
    }
    return true;
  }
}
