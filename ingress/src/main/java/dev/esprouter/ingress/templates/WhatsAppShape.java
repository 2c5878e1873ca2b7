package dev.esprouter.ingress.templates;

import dev.esprouter.providers.meta.MetaTemplateParams;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a send of a WhatsApp template must give in each recipient's {@code data}, counted from its
 * (validated) components: body parameters {@code "1"…"n"}, the header's parameter ({@code header.1}
 * for text, {@code header.image|video|document} for media) and the URL buttons' {@code button.i}
 * ({@link MetaTemplateParams}). Meta refuses a send whose counts differ (132000), so ingress checks
 * them at accept time.
 */
record WhatsAppShape(int bodyParams, String headerFormat, int headerParams, List<Integer> urlButtons) {

  static WhatsAppShape of(JsonArray components) {
    int body = 0;
    String headerFormat = null;
    int headerParams = 0;
    List<Integer> buttons = new ArrayList<>();
    for (int i = 0; i < components.size(); i++) {
      JsonObject c = components.getJsonObject(i);
      switch (c.getString("type", "")) {
        case "body" -> body = WhatsAppRules.count(WhatsAppRules.positional(c.getString("text", "")));
        case "header" -> {
          headerFormat = c.getString("format");
          headerParams = "text".equals(headerFormat)
              ? WhatsAppRules.count(WhatsAppRules.positional(c.getString("text", ""))) : 1;
        }
        case "buttons" -> {
          JsonArray list = c.getJsonArray("buttons", new JsonArray());
          for (int b = 0; b < list.size(); b++) {
            JsonObject button = list.getJsonObject(b);
            if ("url".equals(button.getString("type")) && button.getString("url", "").contains("{{")) {
              buttons.add(b);
            }
          }
        }
        default -> {
        }
      }
    }
    return new WhatsAppShape(body, headerFormat, headerParams, List.copyOf(buttons));
  }

  /** The data keys a send must give, in the order a person reads them. */
  Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    if (headerParams > 0) {
      keys.add("text".equals(headerFormat) ? MetaTemplateParams.HEADER_TEXT : MetaTemplateParams.headerMedia(headerFormat));
    }
    for (int n = 1; n <= bodyParams; n++) {
      keys.add(MetaTemplateParams.body(n));
    }
    for (int b : urlButtons) {
      keys.add(MetaTemplateParams.button(b));
    }
    return keys;
  }
}
