package dev.esprouter.ingress.templates;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.InlineTemplate;
import dev.esprouter.common.Language;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.providers.meta.MetaSendDialect;
import dev.esprouter.providers.telegram.TelegramSendDialect;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * {@code POST /v1/templates/{id}/render} {@code {"language","data"}}: exactly what a send with this
 * template would carry for one recipient with {@code data}, built by the same code the router uses —
 * Meta's {@code template} object ({@link MetaSendDialect#template}), Telegram's sendMessage body
 * ({@link TelegramSendDialect#body}), the email's subject/html/text with each value substituted as
 * the providers' personalisation substitutes it (HTML-escaped in html). The language goes through
 * the same fallback as a send (the template's own language when none is given); a WhatsApp
 * template is rendered whatever its review status, which the answer states.
 */
final class TemplatePreview {

  private static final Set<String> FIELDS = Set.of("language", "data");

  private TemplatePreview() {
  }

  static JsonObject render(Template asked, TenantTemplates registry, JsonObject request) {
    for (String f : request.fieldNames()) {
      if (!FIELDS.contains(f)) {
        throw TemplateRefusal.of("unknown_field", Placeholders.safe(f), "is not a field of a render (language, data)");
      }
    }
    Object rawLanguage = request.getValue("language");
    String language = rawLanguage == null ? asked.language() : TemplateInput.language(rawLanguage);
    Object rawData = request.getValue("data");
    if (rawData != null && !(rawData instanceof JsonObject)) {
      throw TemplateRefusal.of("invalid_field", "data", "must be an object of the recipient's values");
    }
    JsonObject data = rawData == null ? new JsonObject() : (JsonObject) rawData;
    Template t = registry.resolve(asked.channel(), asked.name(), Language.canonical(language));
    if (t == null) {
      t = asked;
    }
    Content content = new Content(null, null, null, null, null, t.name(), t.language());
    TemplateUse use = TemplateChecks.registered(t, t.channel(), content, true);
    ApiError problem = use.problem(data, "data");
    if (problem != null) {
      throw new TemplateRefusal(problem);
    }
    JsonObject values = use.withDefaults(data);
    Content c = use.content();
    JsonObject out = new JsonObject().put("template_id", t.id()).put("channel", t.channel().wire())
        .put("name", t.name()).put("language", t.language()).put("status", t.status());
    switch (t.channel()) {
      case WHATSAPP -> out.put("message", new JsonObject().put("type", "template")
          .put("template", MetaSendDialect.template(c, values)))
          .put("text", whatsAppText(t.body().getJsonArray("components"), values));
      case TELEGRAM -> {
        JsonObject body = TelegramSendDialect.body(c, new Recipient(null, null, values, null));
        body.remove("chat_id");
        out.put("message", body);
      }
      default -> out.put("message", new JsonObject()
          .put("subject", InlineTemplate.render(c.subject(), values, false))
          .put("html", InlineTemplate.render(c.html(), values, true))
          .put("text", InlineTemplate.render(c.text(), values, false)));
    }
    return out;
  }

  /** The WhatsApp message as a person reads it: header, body, footer and button labels with the parameters filled. */
  private static JsonObject whatsAppText(JsonArray components, JsonObject values) {
    JsonObject out = new JsonObject();
    for (int i = 0; i < components.size(); i++) {
      JsonObject c = components.getJsonObject(i);
      switch (c.getString("type")) {
        case "header" -> out.put("header", "text".equals(c.getString("format"))
            ? InlineTemplate.render(c.getString("text"), prefixed(values, "header."), false)
            : "[" + c.getString("format") + "] " + values.getString("header." + c.getString("format"), ""));
        case "body" -> out.put("body", InlineTemplate.render(c.getString("text"), values, false));
        case "footer" -> out.put("footer", c.getString("text"));
        default -> {
          JsonArray buttons = new JsonArray();
          JsonArray list = c.getJsonArray("buttons", new JsonArray());
          for (int b = 0; b < list.size(); b++) {
            JsonObject button = list.getJsonObject(b);
            JsonObject shown = new JsonObject().put("type", button.getString("type"))
                .put("text", button.getString("text"));
            if (button.getString("url") != null) {
              shown.put("url", InlineTemplate.render(button.getString("url"),
                  new JsonObject().put("1", values.getValue("button." + b)), false));
            }
            if (button.getString("phone_number") != null) {
              shown.put("phone_number", button.getString("phone_number"));
            }
            buttons.add(shown);
          }
          out.put("buttons", buttons);
        }
      }
    }
    return out;
  }

  /** {@code header.1} → {@code 1}: the header's own numbering. */
  private static JsonObject prefixed(JsonObject values, String prefix) {
    JsonObject out = new JsonObject();
    values.forEach(e -> {
      if (e.getKey().startsWith(prefix)) {
        out.put(e.getKey().substring(prefix.length()), e.getValue());
      }
    });
    return out;
  }
}
