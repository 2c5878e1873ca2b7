package dev.esprouter.providers.postmark;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.providers.webhook.RecipientSide;
import dev.esprouter.providers.webhook.WebhookJson;
import dev.esprouter.providers.webhook.WebhookParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Postmark webhooks (PROVIDERS.md § 2.4): one JSON object per POST with a {@code RecordType}. The
 * router's id is {@code Metadata.esp_message_id}; {@code providerMessageId} is {@code MessageID}.
 * Postmark has no event id, so the dedupe key is the record type, message id and recipient with the
 * event's own time (PROVIDERS.md § 9), or the bounce {@code ID} for bounces and complaints.
 *
 * <p>Bounce types: permanent ones are {@code BOUNCED}, temporary ones {@code DEFERRED}; the
 * informational ones (auto-responder, spam notification, challenge, open-relay test) are not
 * failures and give no event. An unknown type follows Postmark's own verdict, {@code Inactive}.
 */
public final class PostmarkEventParser implements WebhookParser {

  static final String CORRELATION_FIELD = "esp_message_id";

  private static final Set<String> PERMANENT = Set.of("HardBounce", "BadEmailAddress", "ManuallyDeactivated",
      "Blocked", "DMARCPolicy", "AddressChange");
  private static final Set<String> TEMPORARY = Set.of("Transient", "SoftBounce", "DnsError", "Unknown",
      "SMTPApiError", "InboundError", "VirusNotification", "BadEmailAddressTemporary");
  private static final Set<String> NOT_FAILURES = Set.of("AutoResponder", "SpamNotification",
      "ChallengeVerification", "OpenRelayTest", "Subscribe");
  /** See {@link RecipientSide}. */
  private static final Set<String> RECIPIENT_TYPES = Set.of("HardBounce", "BadEmailAddress", "ManuallyDeactivated",
      "AddressChange");

  private static final String[] RAW_FIELDS = {"MessageID", "ID", "Type", "TypeCode", "Inactive", "Tag",
      "MessageStream", "OriginalLink", "FirstOpen", "SuppressionReason"};

  @Override
  public ProviderName provider() {
    return ProviderName.POSTMARK;
  }

  @Override
  public List<DeliveryEvent> parse(Buffer body) {
    JsonObject r = WebhookJson.object(body);
    String record = WebhookJson.requiredText(r, "RecordType", "$");
    DeliveryEvent e = switch (record) {
      case "Delivery" -> event(r, EventType.DELIVERED, "Recipient", "DeliveredAt", null, false);
      case "Open" -> event(r, EventType.OPENED, "Recipient", "ReceivedAt", null, false);
      case "Click" -> event(r, EventType.CLICKED, "Recipient", "ReceivedAt", null, false);
      case "SpamComplaint" -> event(r, EventType.COMPLAINED, "Email", "BouncedAt", nonEmpty(WebhookJson.text(r,
          "Details")), false);
      case "SubscriptionChange" -> subscriptionChange(r);
      case "Bounce" -> bounce(r);
      default -> null;
    };
    return e == null ? List.of() : List.of(e);
  }

  private DeliveryEvent bounce(JsonObject r) {
    String type = WebhookJson.requiredText(r, "Type", "$");
    EventType t;
    if (type.equals("SpamComplaint")) {
      t = EventType.COMPLAINED;
    } else if (type.equals("Unsubscribe")) {
      t = EventType.UNSUBSCRIBED;
    } else if (type.equals("TemplateRenderingFailed")) {
      t = EventType.DROPPED;
    } else if (PERMANENT.contains(type)) {
      t = EventType.BOUNCED;
    } else if (TEMPORARY.contains(type)) {
      t = EventType.DEFERRED;
    } else if (NOT_FAILURES.contains(type)) {
      return null;
    } else {
      t = Boolean.TRUE.equals(r.getValue("Inactive")) ? EventType.BOUNCED : EventType.DEFERRED;
    }
    // Postmark's Blocked (100006) is an ISP refusing the sender (content or reputation), never the
    // address: the reason says so in words the classifier reads as provider-side, whatever the SMTP text.
    String reason = type.equals("Blocked") ? "Blocked (ISP block)" : type;
    String description = WebhookJson.text(r, "Description");
    String details = WebhookJson.text(r, "Details");
    if (details != null && !details.isEmpty()) {
      reason = reason + ": " + details;
    } else if (description != null) {
      reason = reason + ": " + description;
    }
    return event(r, t, "Email", "BouncedAt", reason, RECIPIENT_TYPES.contains(type));
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private DeliveryEvent subscriptionChange(JsonObject r) {
    // SuppressSending=false is a re-subscribe: nothing to record against the message.
    if (!Boolean.TRUE.equals(r.getValue("SuppressSending"))) {
      return null;
    }
    return event(r, EventType.UNSUBSCRIBED, "Recipient", "ChangedAt", WebhookJson.text(r, "SuppressionReason"),
        false);
  }

  private DeliveryEvent event(JsonObject r, EventType type, String recipientField, String timeField, String reason,
                              boolean recipientSide) {
    String record = WebhookJson.text(r, "RecordType");
    String messageId = WebhookJson.text(r, "MessageID");
    String recipient = WebhookJson.text(r, recipientField);
    Instant at = WebhookJson.isoInstant(r, timeField, "$");
    String bounceId = WebhookJson.text(r, "ID");
    String dedupe = bounceId != null && (record.equals("Bounce") || record.equals("SpamComplaint"))
        ? record + ":" + bounceId
        : record + ":" + messageId + ":" + recipient + ":" + WebhookJson.text(r, timeField);
    String ours = WebhookJson.text(WebhookJson.optObject(r, "Metadata", "$"), CORRELATION_FIELD);
    return new DeliveryEvent(ProviderName.POSTMARK, type, ours, messageId, recipient, at, dedupe, reason,
        recipientSide, WebhookJson.pick(r, RAW_FIELDS));
  }
}
