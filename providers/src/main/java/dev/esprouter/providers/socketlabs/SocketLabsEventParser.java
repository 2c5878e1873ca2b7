package dev.esprouter.providers.socketlabs;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.providers.webhook.MalformedWebhookException;
import dev.esprouter.providers.webhook.RecipientSide;
import dev.esprouter.providers.webhook.WebhookJson;
import dev.esprouter.providers.webhook.WebhookParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * SocketLabs event webhooks (PROVIDERS.md § 3.4): one notification per POST with a {@code Type}.
 * SocketLabs returns no id of its own; the router sets {@code MessageId} to its message id, so that
 * is the correlation field and {@code providerMessageId} stays null. No event id either: the dedupe
 * key is {@code MessageId + Type + DateTime + Address} (PROVIDERS.md § 9), plus the tracking or
 * failure kind so an open and a click in the same second stay two events. {@code Queued} and
 * {@code Validation} carry no outcome and give no event.
 */
public final class SocketLabsEventParser implements WebhookParser {

  private static final String[] RAW_FIELDS = {"MailingId", "FailureType", "FailureCode", "BounceStatus",
      "DiagnosticCode", "DeferralCode", "RemoteMta", "FblType", "TrackingType", "Url", "ServerId"};

  @Override
  public ProviderName provider() {
    return ProviderName.SOCKETLABS;
  }

  @Override
  public List<DeliveryEvent> parse(Buffer body) {
    JsonObject n = SocketLabsWebhookPayload.read(body);
    String type = WebhookJson.requiredText(n, "Type", "$");
    DeliveryEvent e = switch (type) {
      case "Delivered" -> event(n, EventType.DELIVERED, null, false, "");
      case "Deferred" -> event(n, EventType.DEFERRED, reason(n, "DeferralCode"), false, "");
      case "Complaint" -> event(n, EventType.COMPLAINED, WebhookJson.text(n, "FblType"), false, "");
      case "Failed" -> failed(n);
      case "Tracking" -> tracking(n);
      default -> null; // Queued, Validation and anything SocketLabs adds later
    };
    return e == null ? List.of() : List.of(e);
  }

  private DeliveryEvent failed(JsonObject n) {
    String failureType = WebhookJson.requiredText(n, "FailureType", "$");
    long code = WebhookJson.integer(n, "FailureCode", "$", 0);
    String reason = reason(n, "FailureCode");
    return switch (failureType) {
      case "0", "Temporary" -> event(n, EventType.DEFERRED, reason, false, ":temporary");
      case "1", "Permanent" -> event(n, EventType.BOUNCED, reason, recipientCode(code), ":permanent");
      // On SocketLabs' suppression list because of the address's own earlier bounce or complaint.
      case "2", "Suppressed" -> event(n, EventType.DROPPED, reason, true, ":suppressed");
      default -> throw new MalformedWebhookException("$.FailureType is not Temporary, Permanent or Suppressed: "
          + failureType);
    };
  }

  /** See {@link RecipientSide}: 2xxx are permanent address failures, 3002 a disabled mailbox. */
  private static boolean recipientCode(long code) {
    return (code >= 2000 && code < 3000) || code == 3002;
  }

  private DeliveryEvent tracking(JsonObject n) {
    String kind = WebhookJson.requiredText(n, "TrackingType", "$");
    return switch (kind) {
      case "0", "Click" -> event(n, EventType.CLICKED, null, false, ":click");
      case "1", "Open" -> event(n, EventType.OPENED, null, false, ":open");
      case "2", "Unsubscribe" -> event(n, EventType.UNSUBSCRIBED, null, false, ":unsubscribe");
      default -> throw new MalformedWebhookException("$.TrackingType is not 0, 1 or 2: " + kind);
    };
  }

  private static String reason(JsonObject n, String codeField) {
    String code = WebhookJson.text(n, codeField);
    String reason = WebhookJson.text(n, "Reason");
    if (code == null) {
      return reason;
    }
    return reason == null ? code : code + ": " + reason;
  }

  private DeliveryEvent event(JsonObject n, EventType type, String reason, boolean recipientSide, String kind) {
    String messageId = WebhookJson.text(n, "MessageId");
    String address = WebhookJson.text(n, "Address");
    String dedupe = messageId + ":" + WebhookJson.text(n, "Type") + kind + ":" + WebhookJson.text(n, "DateTime")
        + ":" + address;
    return new DeliveryEvent(ProviderName.SOCKETLABS, type, messageId, null, address,
        WebhookJson.isoInstant(n, "DateTime", "$"), dedupe, reason, recipientSide, WebhookJson.pick(n, RAW_FIELDS));
  }
}
