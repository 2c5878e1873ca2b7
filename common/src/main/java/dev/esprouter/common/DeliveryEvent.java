package dev.esprouter.common;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One provider event in normalized form, parsed from a verified webhook body.
 *
 * @param messageId         the router's message id from the provider's correlation field, or null
 * @param providerMessageId the provider's own id, used to find the message when messageId is absent
 * @param recipient         the address or chat the event is about, when the provider says
 * @param dedupeKey         unique per provider for the same event delivered twice (PROVIDERS.md § 9)
 * @param reason            the provider's reason or code for failures (bounce class, error code)
 * @param recipientSide     true when the failure belongs to the recipient (invalid address, no such
 *                          mailbox, blocked the bot) and so must not lower the provider's score
 * @param raw               the provider's own fields worth keeping in the event timeline
 */
public record DeliveryEvent(ProviderName provider, EventType type, String messageId, String providerMessageId,
                            String recipient, Instant occurredAt, String dedupeKey, String reason,
                            boolean recipientSide, JsonObject raw) {

  public JsonObject toJson() {
    JsonObject o = new JsonObject()
        .put("provider", provider.wire())
        .put("type", type.wire())
        .put("occurred_at", occurredAt.toString())
        .put("dedupe_key", dedupeKey)
        .put("recipient_side", recipientSide);
    if (messageId != null) {
      o.put("message_id", messageId);
    }
    if (providerMessageId != null) {
      o.put("provider_message_id", providerMessageId);
    }
    if (recipient != null) {
      o.put("recipient", recipient);
    }
    if (reason != null) {
      o.put("reason", reason);
    }
    if (raw != null && !raw.isEmpty()) {
      o.put("raw", raw);
    }
    return o;
  }

  public static DeliveryEvent fromJson(JsonObject o) {
    return new DeliveryEvent(
        ProviderName.fromWire(o.getString("provider")),
        EventType.fromWire(o.getString("type")),
        o.getString("message_id"),
        o.getString("provider_message_id"),
        o.getString("recipient"),
        Instant.parse(o.getString("occurred_at")),
        o.getString("dedupe_key"),
        o.getString("reason"),
        o.getBoolean("recipient_side", false),
        o.getJsonObject("raw"));
  }
}
