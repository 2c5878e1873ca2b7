package dev.esprouter.providers.socketlabs;

import dev.esprouter.providers.webhook.MalformedWebhookException;
import dev.esprouter.providers.webhook.WebhookJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads one SocketLabs notification (PROVIDERS.md § 3.4): JSON for Event Webhook endpoints created
 * since June 2021, {@code application/x-www-form-urlencoded} for the legacy Notification API (the
 * form's fields become the object's string fields). Both the verifier (the {@code SecretKey} is in
 * the payload) and the parser read bodies through here, so they agree on what a body says.
 */
public final class SocketLabsWebhookPayload {

  private SocketLabsWebhookPayload() {
  }

  public static JsonObject read(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new MalformedWebhookException("body is empty");
    }
    if (firstNonSpace(body) == '{') {
      return WebhookJson.object(body);
    }
    JsonObject form = new JsonObject();
    for (String pair : body.toString(StandardCharsets.UTF_8).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new MalformedWebhookException("body is neither JSON nor a form: '" + abbreviate(pair) + "'");
      }
      try {
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new MalformedWebhookException("form field is not URL-encoded: '" + abbreviate(pair) + "'", e);
      }
    }
    if (form.getValue("Type") == null) {
      throw new MalformedWebhookException("notification has no Type");
    }
    return form;
  }

  private static int firstNonSpace(Buffer body) {
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b;
      }
    }
    return -1;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
