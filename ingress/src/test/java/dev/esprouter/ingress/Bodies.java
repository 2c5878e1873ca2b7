package dev.esprouter.ingress;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Valid request bodies that tests change one field of. */
final class Bodies {

  private Bodies() {
  }

  static JsonObject email(String to) {
    return new JsonObject()
        .put("channel", "email")
        .put("to", to)
        .put("from", "Shop <noreply@shop.example>")
        .put("subject", "Order {{order_id}} confirmed")
        .put("html", "<p>Hi {{name}}</p>")
        .put("text", "Hi {{name}}")
        .put("data", new JsonObject().put("name", "Alice").put("order_id", "A-17"))
        .put("metadata", new JsonObject().put("order_id", "A-17"));
  }

  static JsonObject batch(int recipients) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < recipients; i++) {
      list.add(new JsonObject().put("to", "user" + i + "@example.com").put("data", new JsonObject().put("name", "U" + i)));
    }
    return new JsonObject()
        .put("channel", "email")
        .put("from", "Shop <noreply@shop.example>")
        .put("subject", "Hi {{name}}")
        .put("html", "<p>Hello {{name}}</p>")
        .put("recipients", list);
  }
}
