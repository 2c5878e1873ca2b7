package dev.esprouter.providers.telegram;

import dev.esprouter.common.Content;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.providers.send.CallResult;
import dev.esprouter.providers.send.ProviderCall;
import dev.esprouter.providers.send.ProviderResponse;
import dev.esprouter.providers.send.RecipientOutcome;
import dev.esprouter.providers.send.SendDialect;
import dev.esprouter.providers.send.SendOutcome;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Telegram Bot API {@code sendMessage} (PROVIDERS.md § 6): one chat a call, text rendered for the
 * recipient (escaped for the content's {@code parse_mode}, HTML or MarkdownV2, when it has one). Telegram has no correlation field and no delivery webhooks: the synchronous
 * {@code result.message_id} is the provider id and {@code ok:true} is final.
 */
public final class TelegramSendDialect implements SendDialect {

  private final String path;

  public TelegramSendDialect(String botToken) {
    this.path = "/bot" + botToken + "/sendMessage";
  }

  @Override
  public ProviderName provider() {
    return ProviderName.TELEGRAM;
  }

  @Override
  public int maxRecipientsPerCall() {
    return 1;
  }

  @Override
  public List<ProviderCall> calls(SendChunk chunk, List<Recipient> recipients) {
    List<ProviderCall> calls = new ArrayList<>(recipients.size());
    for (Recipient r : recipients) {
      calls.add(new ProviderCall(path, Map.of("Content-Type", "application/json"), body(chunk.content(), r).toBuffer(),
          List.of(r)));
    }
    return calls;
  }

  /**
   * The sendMessage body for one recipient: the text with its placeholders filled (values escaped
   * for the content's {@code parse_mode}, see {@link TelegramText}) and the parse mode when set.
   * Public so a template preview shows exactly this.
   */
  public static JsonObject body(Content c, Recipient r) {
    JsonObject body = new JsonObject()
        .put("chat_id", chatId(r.to()))
        .put("text", TelegramText.render(c.text(), r.data(), c.parseMode()));
    if (c.parseMode() != null) {
      body.put("parse_mode", c.parseMode());
    }
    return body;
  }

  private static Object chatId(String to) {
    if (to == null) {
      return null;
    }
    try {
      return Long.parseLong(to);
    } catch (NumberFormatException e) {
      return to; // @channelusername
    }
  }

  @Override
  public CallResult classify(ProviderCall call, ProviderResponse response) {
    Recipient r = call.recipients().get(0);
    JsonObject body = response.jsonObject();
    if (body.getBoolean("ok", false)) {
      Object id = body.getJsonObject("result", new JsonObject()).getValue("message_id");
      return new CallResult(SendOutcome.ACCEPTED, null,
          List.of(RecipientOutcome.accepted(r, id == null ? null : String.valueOf(id))), null);
    }
    int code = body.getInteger("error_code", response.status());
    String description = body.getString("description", response.bodySnippet());
    String reason = "telegram " + code + ": " + description;
    Long retryAfter = body.getJsonObject("parameters", new JsonObject()).getLong("retry_after");
    if (code == 429) {
      return CallResult.all(call.recipients(), SendOutcome.THROTTLED,
          retryAfter == null ? null : Duration.ofSeconds(retryAfter), reason);
    }
    return CallResult.all(call.recipients(), classify(code, description), null, reason);
  }

  /** PROVIDERS.md § 6.2: Telegram says to read {@code description} as well as the code. */
  static SendOutcome classify(int code, String description) {
    String d = description == null ? "" : description.toLowerCase(Locale.ROOT);
    if (code >= 500) {
      return SendOutcome.TRANSIENT;
    }
    if (code == 401 || code == 404 || code == 409) {
      return SendOutcome.CONFIG;
    }
    if (code == 403 || code == 400) {
      // Blocked, deactivated, chat not found: the recipient is unreachable; bad text: the request.
      return SendOutcome.REJECTED;
    }
    return code >= 400 && code < 500 && !d.isEmpty() ? SendOutcome.REJECTED : SendOutcome.TRANSIENT;
  }
}
