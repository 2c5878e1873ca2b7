package dev.esprouter.providers.telegram;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.providers.webhook.MalformedWebhookException;
import dev.esprouter.providers.webhook.WebhookJson;
import dev.esprouter.providers.webhook.WebhookParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Telegram Bot API updates (PROVIDERS.md § 6.4): one {@code Update} per POST. Telegram has no
 * delivery receipts; the one outcome it reports is a person blocking the bot, a
 * {@code my_chat_member} update whose new status is {@code kicked} → BLOCKED (recipient-side). Bot
 * messages have no router id on Telegram's side, so the event is tied to its chat
 * ({@code recipient} = chat id) and analytics finds the message by recipient. Dedupe on
 * {@code update_id}. Every other update (messages, callbacks, un-blocking) gives no event.
 */
public final class TelegramUpdateParser implements WebhookParser {

  @Override
  public ProviderName provider() {
    return ProviderName.TELEGRAM;
  }

  @Override
  public List<DeliveryEvent> parse(Buffer body) {
    JsonObject update = WebhookJson.object(body);
    long updateId = WebhookJson.integer(update, "update_id", "$", -1);
    if (updateId < 0) {
      throw new MalformedWebhookException("$.update_id is missing");
    }
    if (update.getValue("my_chat_member") == null) {
      return List.of();
    }
    JsonObject member = WebhookJson.optObject(update, "my_chat_member", "$");
    String path = "$.my_chat_member";
    String status = WebhookJson.requiredText(WebhookJson.optObject(member, "new_chat_member", path), "status",
        path + ".new_chat_member");
    if (!status.equals("kicked")) {
      return List.of();
    }
    String chatId = WebhookJson.requiredText(WebhookJson.optObject(member, "chat", path), "id", path + ".chat");
    JsonObject raw = new JsonObject().put("update_id", updateId).put("new_status", status);
    return List.of(new DeliveryEvent(ProviderName.TELEGRAM, EventType.BLOCKED, null, null, chatId,
        WebhookJson.epochSeconds(member, "date", path), Long.toString(updateId), "blocked the bot", true, raw));
  }
}
