package dev.esprouter.ingress;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Valid template bodies that tests change one part of. */
final class TemplateFixtures {

  private TemplateFixtures() {
  }

  /** A WhatsApp template with a text header {{1}}, a body {{1}} {{2}}, a footer and a URL button with {{1}}. */
  static JsonObject whatsapp(String name, String language) {
    return new JsonObject().put("channel", "whatsapp").put("name", name).put("language", language)
        .put("category", "utility")
        .put("components", new JsonArray()
            .add(new JsonObject().put("type", "header").put("format", "text").put("text", "Order {{1}}")
                .put("example", new JsonObject().put("header_text", new JsonArray().add("A-17"))))
            .add(new JsonObject().put("type", "body").put("text", "Hi {{1}}, your order {{2}} has shipped.")
                .put("example", new JsonObject().put("body_text", new JsonArray().add(new JsonArray().add("Ada")
                    .add("A-17")))))
            .add(new JsonObject().put("type", "footer").put("text", "Reply STOP to opt out"))
            .add(new JsonObject().put("type", "buttons").put("buttons", new JsonArray()
                .add(new JsonObject().put("type", "url").put("text", "Track").put("url", "https://t.example/{{1}}")
                    .put("example", new JsonArray().add("https://t.example/A-17"))))));
  }

  /** A WhatsApp template whose body alone takes {{1}} and {{2}}. */
  static JsonObject whatsappBody(String name, String language, String body) {
    return new JsonObject().put("channel", "whatsapp").put("name", name).put("language", language)
        .put("category", "marketing")
        .put("components", new JsonArray().add(new JsonObject().put("type", "body").put("text", body)
            .put("example", new JsonObject().put("body_text", new JsonArray().add(new JsonArray().add("Ada")
                .add("A-17"))))));
  }

  /** The data of a send of {@link #whatsapp}. */
  static JsonObject whatsappData() {
    return new JsonObject().put("header.1", "A-17").put("1", "Ada").put("2", "A-17").put("button.0", "A-17");
  }

  static JsonObject telegram(String name, String language, String text, String parseMode) {
    return new JsonObject().put("channel", "telegram").put("name", name).put("language", language).put("text", text)
        .put("parse_mode", parseMode);
  }

  static JsonObject email(String name, String language) {
    return new JsonObject().put("channel", "email").put("name", name).put("language", language)
        .put("subject", "@param String order_id\nOrder ${order_id}")
        .put("html", "@param String name\n<p>Hi ${name} &amp; welcome</p>")
        .put("text", "@param String name\nHi ${name}");
  }
}
