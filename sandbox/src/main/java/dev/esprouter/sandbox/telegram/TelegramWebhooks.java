package dev.esprouter.sandbox.telegram;

import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.Ids;
import dev.esprouter.sandbox.core.Outcome;
import dev.esprouter.sandbox.core.Pending;
import dev.esprouter.sandbox.core.WebhookFormat;
import dev.esprouter.sandbox.core.WebhookPost;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Telegram updates (PROVIDERS.md § 6.4-6.5): one {@code Update} per POST with the
 * {@code X-Telegram-Bot-Api-Secret-Token} header ({@link SandboxSecrets#TELEGRAM_WEBHOOK_SECRET}).
 * Telegram reports no delivery, read or bounce for bot messages; the only event is a user blocking
 * the bot: a {@code my_chat_member} update whose {@code new_chat_member.status} is {@code kicked}.
 */
public final class TelegramWebhooks implements WebhookFormat {

  private static final Map<String, String> HEADERS = Map.of("content-type", "application/json",
      "X-Telegram-Bot-Api-Secret-Token", SandboxSecrets.TELEGRAM_WEBHOOK_SECRET);

  private final Ids updateIds = new Ids(0);

  @Override
  public int recipientsPerPost() {
    return 1;
  }

  @Override
  public int eventCount(Outcome outcome) {
    return outcome.fate() == Outcome.Fate.HARD_BOUNCE ? 1 : 0;
  }

  @Override
  public List<WebhookPost> render(List<Pending> batch, long nowMs) {
    List<WebhookPost> posts = new ArrayList<>();
    for (Pending p : batch) {
      if (eventCount(p.outcome()) == 0) {
        continue;
      }
      Delivery d = p.delivery();
      long botId = Long.parseLong(d.group());
      Object chat = TelegramDialect.chatValue(d.address());
      JsonObject user = new JsonObject().put("id", chat).put("is_bot", false).put("first_name", "Sandbox user");
      JsonObject update = new JsonObject()
          .put("update_id", 100_000_000 + updateIds.nextSequence())
          .put("my_chat_member", new JsonObject()
              .put("chat", new JsonObject().put("id", chat).put("first_name", "Sandbox user").put("type", "private"))
              .put("from", user)
              .put("date", p.acceptedAtMs() / 1000 + 60)
              .put("old_chat_member", new JsonObject().put("user", TelegramDialect.bot(botId)).put("status", "member"))
              .put("new_chat_member", new JsonObject().put("user", TelegramDialect.bot(botId)).put("status", "kicked")
                  .put("until_date", 0)));
      posts.add(new WebhookPost(update.toBuffer(), HEADERS, 1));
    }
    return posts;
  }
}
