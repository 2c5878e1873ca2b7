package dev.esprouter.ingress.templates;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Language;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * A {@code POST /v1/templates} or {@code PUT /v1/templates/{id}} body, checked: the common fields
 * ({@code channel}, {@code name}, {@code language}) and the channel's own ({@link WhatsAppRules},
 * {@link TelegramRules}, {@link EmailRules}). Everything here is cheap; an email template's jte
 * compile ({@link #compile}) is blocking and runs on a worker afterwards.
 *
 * @param emailSources the jte sources of an email template (compiled by {@link #compile}), else null
 * @param body         the stored body, complete except for an email template's compile
 */
record TemplateInput(Channel channel, String name, String language, String category, JsonObject body,
                     Map<String, String> emailSources, Object emailDefaults) {

  static final int MAX_BODY_BYTES = 1024 * 1024;
  static final java.util.regex.Pattern OTHER_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final Set<String> COMMON = Set.of("channel", "name", "language");
  private static final Map<Channel, Set<String>> OWN = Map.of(
      Channel.WHATSAPP, Set.of("category", "components"),
      Channel.TELEGRAM, Set.of("text", "parse_mode", "defaults"),
      Channel.EMAIL, Set.of("subject", "html", "text", "defaults"));

  /** A new template: every field checked. */
  static TemplateInput create(Buffer raw) {
    JsonObject o = object(raw);
    Channel channel = channel(o.getValue("channel"));
    refuseUnknown(o, channel);
    String name = name(channel, o.getValue("name"));
    String language = language(o.getValue("language"));
    return content(o, channel, name, language);
  }

  /** New content for {@code existing}: channel, name and language may be repeated but not changed. */
  static TemplateInput update(Buffer raw, Template existing) {
    JsonObject o = object(raw);
    refuseUnknown(o, existing.channel());
    if (o.containsKey("channel") && !existing.channel().wire().equals(o.getValue("channel"))) {
      throw TemplateRefusal.of("invalid_field", "channel", "cannot be changed (create a new template)");
    }
    if (o.containsKey("name") && !existing.name().equals(o.getValue("name"))) {
      throw TemplateRefusal.of("invalid_field", "name", "cannot be changed (create a new template)");
    }
    if (o.containsKey("language") && !existing.language().equals(language(o.getValue("language")))) {
      throw TemplateRefusal.of("invalid_field", "language", "cannot be changed (create the template in the other "
          + "language: each language is its own template)");
    }
    return content(o, existing.channel(), existing.name(), existing.language());
  }

  private static TemplateInput content(JsonObject o, Channel channel, String name, String language) {
    return switch (channel) {
      case WHATSAPP -> {
        String category = WhatsAppRules.category(o.getValue("category"));
        JsonObject body = new JsonObject().put("category", category)
            .put("components", WhatsAppRules.components(o.getValue("components")));
        yield new TemplateInput(channel, name, language, category, body, null, null);
      }
      case TELEGRAM -> new TemplateInput(channel, name, language, null, TelegramRules.body(o), null, null);
      default -> new TemplateInput(channel, name, language, null, null, EmailRules.sources(o), o.getValue("defaults"));
    };
  }

  /** The complete input: an email template compiled and rendered (blocking), others as they are. */
  TemplateInput compile() {
    if (channel != Channel.EMAIL) {
      return this;
    }
    return new TemplateInput(channel, name, language, null, EmailRules.body(emailSources, emailDefaults), null, null);
  }

  static JsonObject object(Buffer raw) {
    if (raw == null || raw.length() == 0) {
      throw TemplateRefusal.of("invalid_json", null, "the request body is empty; send a JSON object");
    }
    if (raw.length() > MAX_BODY_BYTES) {
      throw TemplateRefusal.of("template_too_long", null, "the template is over 1 MiB");
    }
    try {
      Object v = Json.decodeValue(raw);
      if (v instanceof JsonObject o) {
        return o;
      }
      throw TemplateRefusal.of("invalid_json", null, "the request body must be a JSON object");
    } catch (DecodeException e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      throw TemplateRefusal.of("invalid_json", null, "the request body is not valid JSON: "
          + (nl < 0 ? m : m.substring(0, nl)));
    }
  }

  static Channel channel(Object raw) {
    Channel c = raw instanceof String s ? Channel.fromWire(s) : null;
    if (c == null) {
      throw TemplateRefusal.of(raw == null ? "missing_field" : "invalid_field", "channel",
          "must be whatsapp, telegram or email");
    }
    return c;
  }

  static String language(Object raw) {
    if (!(raw instanceof String s)) {
      throw TemplateRefusal.of(raw == null ? "missing_field" : "invalid_field", "language",
          "is required: a language like en, pt-BR or pt_BR");
    }
    try {
      return Language.canonical(s);
    } catch (IllegalArgumentException e) {
      throw TemplateRefusal.of("unknown_language", "language", e.getMessage());
    }
  }

  private static String name(Channel channel, Object raw) {
    if (!(raw instanceof String s)) {
      throw TemplateRefusal.of(raw == null ? "missing_field" : "invalid_field", "name", "is required");
    }
    if (channel == Channel.WHATSAPP && !WhatsAppRules.NAME.matcher(s).matches()) {
      throw TemplateRefusal.of("invalid_field", "name", "a WhatsApp template name is 1 to 512 lower-case letters, "
          + "digits and '_' (Meta's rule)");
    }
    if (channel != Channel.WHATSAPP && !OTHER_NAME.matcher(s).matches()) {
      throw TemplateRefusal.of("invalid_field", "name", "a template name is 1 to 128 letters, digits, '_', '.' and '-', "
          + "starting with a letter or digit");
    }
    return s;
  }

  private static void refuseUnknown(JsonObject o, Channel channel) {
    for (String f : o.fieldNames()) {
      if (!COMMON.contains(f) && !OWN.get(channel).contains(f)) {
        throw TemplateRefusal.of("unknown_field", Placeholders.safe(f), "is not a field of a " + channel.wire()
            + " template (" + String.join(", ", OWN.get(channel)) + ")");
      }
    }
  }
}
