package dev.esprouter.providers.meta;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.providers.webhook.MalformedWebhookException;
import dev.esprouter.providers.webhook.WebhookJson;
import dev.esprouter.providers.webhook.WebhookParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * WhatsApp Cloud API webhooks (PROVIDERS.md § 5.4): {@code entry[].changes[].value.statuses[]}. The
 * router's id is {@code biz_opaque_callback_data}; {@code providerMessageId} is the status {@code id}
 * (the {@code wamid} of the send response). Dedupe on {@code id + status} (PROVIDERS.md § 9).
 * {@code delivered} → DELIVERED, {@code read} → OPENED, {@code failed} → by error code (131026
 * cannot receive: BOUNCED, recipient-side; 131050 stopped marketing messages: UNSUBSCRIBED; any
 * other code: DROPPED, provider-side); {@code sent} is only the acceptance the router already
 * knows. Inbound messages ({@code value.messages}) and changes of other fields (for example
 * {@code message_template_status_update}) give no event and are not malformed.
 */
public final class MetaEventParser implements WebhookParser {

  private static final int UNDELIVERABLE = 131026;
  private static final int STOPPED_MARKETING = 131050;

  @Override
  public ProviderName provider() {
    return ProviderName.META;
  }

  @Override
  public List<DeliveryEvent> parse(Buffer body) {
    JsonObject root = WebhookJson.object(body);
    if (!(root.getValue("entry") instanceof JsonArray)) {
      throw new MalformedWebhookException("$.entry is missing: not a WhatsApp Business Account notification");
    }
    List<DeliveryEvent> out = new ArrayList<>();
    JsonArray entries = WebhookJson.optArray(root, "entry", "$");
    for (int i = 0; i < entries.size(); i++) {
      String entryPath = "$.entry[" + i + "]";
      JsonArray changes = WebhookJson.optArray(WebhookJson.objectAt(entries, i, "$.entry"), "changes", entryPath);
      for (int j = 0; j < changes.size(); j++) {
        String changePath = entryPath + ".changes[" + j + "]";
        JsonObject change = WebhookJson.objectAt(changes, j, entryPath + ".changes");
        if (!isMessages(change)) {
          // Template status and quality updates and other account fields: no delivery event here
          // (the template registry consumes message_template_status_update itself).
          continue;
        }
        JsonObject value = WebhookJson.optObject(change, "value", changePath);
        JsonArray statuses = WebhookJson.optArray(value, "statuses", changePath + ".value");
        for (int k = 0; k < statuses.size(); k++) {
          String path = changePath + ".value.statuses[" + k + "]";
          DeliveryEvent e = status(WebhookJson.objectAt(statuses, k, changePath + ".value.statuses"), path);
          if (e != null) {
            out.add(e);
          }
        }
      }
    }
    return out;
  }

  /** A change of the {@code messages} field (also when {@code field} is absent, as in older payloads). */
  private static boolean isMessages(JsonObject change) {
    Object field = change.getValue("field");
    return field == null || "messages".equals(field);
  }

  private DeliveryEvent status(JsonObject s, String path) {
    String status = WebhookJson.requiredText(s, "status", path);
    String id = WebhookJson.requiredText(s, "id", path);
    JsonObject error = firstError(s, path);
    long code = error == null ? 0 : WebhookJson.integer(error, "code", path + ".errors[0]", 0);
    EventType type = switch (status) {
      case "delivered" -> EventType.DELIVERED;
      case "read" -> EventType.OPENED;
      case "failed" -> code == UNDELIVERABLE ? EventType.BOUNCED
          : code == STOPPED_MARKETING ? EventType.UNSUBSCRIBED : EventType.DROPPED;
      default -> null;
    };
    if (type == null) {
      return null;
    }
    String reason = null;
    if (error != null) {
      String title = WebhookJson.text(error, "title");
      reason = title == null ? Long.toString(code) : code + ": " + title;
    }
    JsonObject raw = WebhookJson.pick(s, "status", "conversation", "pricing");
    if (error != null) {
      raw.put("errors", new JsonArray().add(error));
    }
    return new DeliveryEvent(ProviderName.META, type, WebhookJson.text(s, "biz_opaque_callback_data"), id,
        WebhookJson.text(s, "recipient_id"), WebhookJson.epochSeconds(s, "timestamp", path), id + ":" + status,
        reason, type == EventType.BOUNCED, raw);
  }

  private static JsonObject firstError(JsonObject s, String path) {
    JsonArray errors = WebhookJson.optArray(s, "errors", path);
    return errors.isEmpty() ? null : WebhookJson.objectAt(errors, 0, path + ".errors");
  }
}
