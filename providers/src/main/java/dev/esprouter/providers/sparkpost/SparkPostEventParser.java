package dev.esprouter.providers.sparkpost;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.providers.webhook.WebhookJson;
import dev.esprouter.providers.webhook.WebhookParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * SparkPost webhooks (PROVIDERS.md § 4.4): a JSON array of {@code {"msys": {"<category>": {...}}}}.
 * The router's id is {@code rcpt_meta.esp_message_id}; {@code providerMessageId} is the
 * {@code transmission_id} (the {@code results.id} the router stores); the per-recipient
 * {@code message_id} stays in {@code raw}. Dedupe on {@code event_id}. An empty {@code msys} (the
 * test POST SparkPost sends when a webhook is created), {@code injection}, relay events and types
 * SparkPost adds later give no event.
 *
 * <p>Bounce classes (SparkPost's classification codes): 10, 30, 90 hard and 25 admin failures end
 * the message; soft (1, 20–24, 40, 70, 100) and block (50–54) classes are usually temporary and
 * count as deferred; 60 (auto-reply) and 80 (subscribe) are not failures.
 */
public final class SparkPostEventParser implements WebhookParser {

  static final String CORRELATION_FIELD = "esp_message_id";

  private static final String[] RAW_FIELDS = {"message_id", "transmission_id", "campaign_id", "bounce_class",
      "error_code", "raw_reason", "num_retries", "target_link_url", "rcpt_tags", "subaccount_id"};

  @Override
  public ProviderName provider() {
    return ProviderName.SPARKPOST;
  }

  @Override
  public List<DeliveryEvent> parse(Buffer body) {
    JsonArray batch = WebhookJson.array(body);
    List<DeliveryEvent> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      String path = "$[" + i + "]";
      JsonObject msys = WebhookJson.optObject(WebhookJson.objectAt(batch, i, "$"), "msys", path);
      for (String category : msys.fieldNames()) {
        JsonObject e = WebhookJson.optObject(msys, category, path + ".msys");
        DeliveryEvent parsed = parseOne(e, path + ".msys." + category);
        if (parsed != null) {
          out.add(parsed);
        }
      }
    }
    return out;
  }

  private DeliveryEvent parseOne(JsonObject e, String path) {
    String type = WebhookJson.requiredText(e, "type", path);
    return switch (type) {
      case "delivery" -> event(e, path, EventType.DELIVERED, false);
      case "open", "initial_open", "amp_open", "amp_initial_open" -> event(e, path, EventType.OPENED, false);
      case "click", "amp_click" -> event(e, path, EventType.CLICKED, false);
      case "delay" -> event(e, path, EventType.DEFERRED, false);
      case "bounce", "out_of_band" -> bounce(e, path);
      case "spam_complaint" -> event(e, path, EventType.COMPLAINED, false);
      case "generation_rejection", "generation_failure", "policy_rejection" -> event(e, path, EventType.DROPPED,
          false);
      case "list_unsubscribe", "link_unsubscribe" -> event(e, path, EventType.UNSUBSCRIBED, false);
      default -> null;
    };
  }

  private DeliveryEvent bounce(JsonObject e, String path) {
    int cls = (int) WebhookJson.integer(e, "bounce_class", path, 1);
    return switch (cls) {
      // See RecipientSide: invalid recipient, no RCPT, unsubscribe request.
      case 10, 30, 90 -> event(e, path, EventType.BOUNCED, true);
      case 25 -> event(e, path, EventType.DROPPED, false);
      case 60, 80 -> null;
      default -> event(e, path, EventType.DEFERRED, false);
    };
  }

  private DeliveryEvent event(JsonObject e, String path, EventType type, boolean recipientSide) {
    String ours = WebhookJson.text(WebhookJson.optObject(e, "rcpt_meta", path), CORRELATION_FIELD);
    String reason = WebhookJson.text(e, "reason");
    String cls = WebhookJson.text(e, "bounce_class");
    if (cls != null) {
      reason = reason == null ? "bounce_class " + cls : "bounce_class " + cls + ": " + reason;
    }
    return new DeliveryEvent(ProviderName.SPARKPOST, type, ours, WebhookJson.text(e, "transmission_id"),
        WebhookJson.text(e, "rcpt_to"), WebhookJson.epochSeconds(e, "timestamp", path),
        WebhookJson.requiredText(e, "event_id", path), reason, recipientSide, WebhookJson.pick(e, RAW_FIELDS));
  }
}
