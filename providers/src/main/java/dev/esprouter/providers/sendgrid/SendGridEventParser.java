package dev.esprouter.providers.sendgrid;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.providers.webhook.RecipientSide;
import dev.esprouter.providers.webhook.WebhookJson;
import dev.esprouter.providers.webhook.WebhookParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SendGrid Event Webhook (PROVIDERS.md § 1.5): a JSON array of events. The router's id comes back
 * as the top-level {@code esp_message_id} (a custom arg); {@code providerMessageId} is the
 * {@code X-Message-Id} part of {@code sg_message_id} (before {@code .filter…}/{@code .recvd-…}),
 * which is what the router stores; one X-Message-Id covers a whole send request, so analytics
 * should match it together with {@code recipient}. Dedupe on {@code sg_event_id}.
 * {@code processed}, {@code group_resubscribe} and account events carry no delivery outcome and
 * give no event; an unknown {@code event} value is skipped too, so a new SendGrid event type never
 * turns a batch into a 400.
 */
public final class SendGridEventParser implements WebhookParser {

  static final String CORRELATION_FIELD = "esp_message_id";

  /** See {@link RecipientSide}: hard bounces SendGrid classifies as the address's fault. */
  private static final Set<String> RECIPIENT_BOUNCE_CLASSES = Set.of("Invalid Address", "Mailbox Unavailable");

  /** See {@link RecipientSide}: drops because of the address itself or its own history. */
  private static final Set<String> RECIPIENT_DROP_REASONS = Set.of("Invalid", "Bounced Address",
      "Unsubscribed Address", "Spam Reporting Address");

  private static final String[] RAW_FIELDS = {"sg_message_id", "status", "type", "bounce_classification", "attempt",
      "url", "category", "asm_group_id", "ip", "useragent"};

  @Override
  public ProviderName provider() {
    return ProviderName.SENDGRID;
  }

  @Override
  public List<DeliveryEvent> parse(Buffer body) {
    JsonArray events = WebhookJson.array(body);
    List<DeliveryEvent> out = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      JsonObject e = WebhookJson.objectAt(events, i, "$");
      DeliveryEvent parsed = parseOne(e, "$[" + i + "]");
      if (parsed != null) {
        out.add(parsed);
      }
    }
    return out;
  }

  private DeliveryEvent parseOne(JsonObject e, String path) {
    String event = WebhookJson.requiredText(e, "event", path);
    EventType type = switch (event) {
      case "delivered" -> EventType.DELIVERED;
      case "open" -> EventType.OPENED;
      case "click" -> EventType.CLICKED;
      case "deferred" -> EventType.DEFERRED;
      // type=blocked is a temporary rejection by the receiving server; type=bounce (or none) is hard.
      case "bounce" -> "blocked".equals(WebhookJson.text(e, "type")) ? EventType.DEFERRED : EventType.BOUNCED;
      case "dropped" -> EventType.DROPPED;
      case "spamreport" -> EventType.COMPLAINED;
      case "unsubscribe", "group_unsubscribe" -> EventType.UNSUBSCRIBED;
      default -> null;
    };
    if (type == null) {
      return null;
    }
    String email = WebhookJson.text(e, "email");
    String sgMessageId = WebhookJson.text(e, "sg_message_id");
    String eventId = WebhookJson.text(e, "sg_event_id");
    String occurred = WebhookJson.text(e, "timestamp");
    // sg_event_id is always sent; the fallback only keeps a malformed-but-verified event dedupable.
    String dedupe = eventId != null ? eventId : event + ":" + sgMessageId + ":" + email + ":" + occurred;
    return new DeliveryEvent(ProviderName.SENDGRID, type, WebhookJson.text(e, CORRELATION_FIELD),
        xMessageId(sgMessageId), email, WebhookJson.epochSeconds(e, "timestamp", path), dedupe, reason(e),
        recipientSide(event, type, e), WebhookJson.pick(e, RAW_FIELDS));
  }

  private static String xMessageId(String sgMessageId) {
    if (sgMessageId == null) {
      return null;
    }
    // <X-Message-Id>.filter... or <X-Message-Id>.recvd-...; older ids contain dots themselves.
    for (String marker : new String[] {".filter", ".recvd"}) {
      int at = sgMessageId.indexOf(marker);
      if (at > 0) {
        return sgMessageId.substring(0, at);
      }
    }
    int dot = sgMessageId.indexOf('.');
    return dot > 0 ? sgMessageId.substring(0, dot) : sgMessageId;
  }

  private static String reason(JsonObject e) {
    String reason = WebhookJson.text(e, "reason");
    if (reason == null) {
      reason = WebhookJson.text(e, "response");
    }
    String cls = WebhookJson.text(e, "bounce_classification");
    if (cls != null) {
      return reason == null ? cls : cls + ": " + reason;
    }
    return reason;
  }

  private static boolean recipientSide(String event, EventType type, JsonObject e) {
    if (type == EventType.BOUNCED) {
      String cls = WebhookJson.text(e, "bounce_classification");
      if (cls != null && !cls.equals("Unclassified")) {
        return RECIPIENT_BOUNCE_CLASSES.contains(cls);
      }
      String status = WebhookJson.text(e, "status");
      return status == null || RecipientSide.smtpStatusBlamesRecipient(status);
    }
    if (type == EventType.DROPPED) {
      String reason = WebhookJson.text(e, "reason");
      return reason != null && RECIPIENT_DROP_REASONS.contains(reason);
    }
    return false;
  }
}
