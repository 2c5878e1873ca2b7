package dev.esprouter.sandbox.telegram;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.Bodies;
import dev.esprouter.sandbox.core.Credentials;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.Hashing;
import dev.esprouter.sandbox.core.LongHashSet;
import dev.esprouter.sandbox.core.Outcome;
import dev.esprouter.sandbox.core.Profile;
import dev.esprouter.sandbox.core.BaseDialect;
import dev.esprouter.sandbox.core.Reply;
import dev.esprouter.sandbox.core.SendPipeline;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Telegram Bot API ({@code /bot<token>/<method>}, PROVIDERS.md § 6): the token in the path
 * ({@code <digits>:<secret>}; another form is 404 Not Found, an unknown token 401 Unauthorized);
 * {@code sendMessage} by GET or POST with JSON, form-encoded or query parameters; one chat a call,
 * text of 1-4096 characters; {@code {"ok":true,"result":{"message_id",...}}} or
 * {@code {"ok":false,"error_code","description"[,"parameters":{"retry_after"}]}}. A user who
 * blocked the bot (the profile's {@code bounced} odds) is answered 403 "Forbidden: bot was blocked
 * by the user" from then on. {@code getMe}, {@code setWebhook} and {@code deleteWebhook} answer too.
 */
public final class TelegramDialect extends BaseDialect {

  private static final Pattern TOKEN = Pattern.compile("(\\d{1,20}):[A-Za-z0-9_-]{1,100}");
  private static final Pattern CHAT_ID = Pattern.compile("-?\\d{1,20}|@[A-Za-z0-9_]{4,}");

  private final LongHashSet blockedChats = new LongHashSet();

  public TelegramDialect(Credentials credentials, TelegramWebhooks webhooks) {
    super(ProviderName.TELEGRAM, 10L * 1024 * 1024, credentials, webhooks);
  }

  @Override
  public void mount(Router router, SendPipeline pipeline) {
    router.routeWithRegex("/bot([^/]*)/([A-Za-z]+)").handler(ctx -> call(ctx, pipeline));
  }

  private void call(RoutingContext ctx, SendPipeline pipeline) {
    String token = ctx.pathParam("param0");
    var m = TOKEN.matcher(token);
    if (!m.matches()) {
      pipeline.refuse(ctx, error(404, "Not Found"));
      return;
    }
    if (!credentials.accepts("TELEGRAM_BOT_TOKEN", token)) {
      pipeline.refuse(ctx, error(401, "Unauthorized"));
      return;
    }
    long botId = Long.parseLong(m.group(1));
    switch (ctx.pathParam("param1")) {
      case "sendMessage" -> sendMessage(ctx, pipeline, botId);
      case "getMe" -> pipeline.respond(ctx, ok(bot(botId).put("can_join_groups", true)));
      case "setWebhook", "deleteWebhook" -> pipeline.respond(ctx, Reply.json(200, new JsonObject().put("ok", true)
          .put("result", true).put("description", "Webhook was set")));
      default -> pipeline.refuse(ctx, error(404, "Not Found: method not found"));
    }
  }

  private void sendMessage(RoutingContext ctx, SendPipeline pipeline, long botId) {
    JsonObject params = params(ctx);
    if (params == null) {
      pipeline.refuse(ctx, error(400, "Bad Request: can't parse JSON object"));
      return;
    }
    Object chat = params.getValue("chat_id");
    String chatId = chat == null ? null : chat.toString().trim();
    if (chatId == null || chatId.isEmpty()) {
      pipeline.refuse(ctx, error(400, "Bad Request: chat_id is empty"));
      return;
    }
    if (!CHAT_ID.matcher(chatId).matches()) {
      pipeline.refuse(ctx, error(400, "Bad Request: chat not found"));
      return;
    }
    String text = params.getValue("text") == null ? null : params.getValue("text").toString();
    if (text == null || text.isBlank()) {
      pipeline.refuse(ctx, error(400, "Bad Request: message text is empty"));
      return;
    }
    if (text.codePointCount(0, text.length()) > 4096) {
      pipeline.refuse(ctx, error(400, "Bad Request: message is too long"));
      return;
    }
    if (blockedChats.contains(Hashing.hash64(chatId))) {
      pipeline.refuse(ctx, error(403, "Forbidden: bot was blocked by the user"));
      return;
    }
    long messageId = pipeline.ids().nextSequence();
    JsonObject chatJson = new JsonObject().put("id", chatValue(chatId)).put("first_name", "Sandbox user")
        .put("type", chatId.startsWith("@") ? "channel" : "private");
    JsonObject result = new JsonObject()
        .put("message_id", messageId)
        .put("from", bot(botId))
        .put("chat", chatJson)
        .put("date", System.currentTimeMillis() / 1000)
        .put("text", text);
    pipeline.accept(ctx, List.of(new Delivery(chatId, null, Long.toString(messageId), null, Long.toString(botId))), 0,
        ok(result));
  }

  /** The parameters of a Bot API call: query string, then a form or JSON body on top. */
  private static JsonObject params(RoutingContext ctx) {
    JsonObject params = new JsonObject();
    ctx.queryParams().forEach(params::put);
    String type = ctx.request().getHeader("content-type");
    if (ctx.body().buffer() == null || ctx.body().buffer().length() == 0) {
      return params;
    }
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      MultiMap form = ctx.request().formAttributes();
      form.forEach(params::put);
      return params;
    }
    if (type != null && type.startsWith("multipart/form-data")) {
      ctx.request().formAttributes().forEach(params::put);
      return params;
    }
    JsonObject json = Bodies.object(ctx.body().buffer());
    return json == null ? null : params.mergeIn(json);
  }

  static Object chatValue(String chatId) {
    return chatId.startsWith("@") ? chatId : (Object) Long.parseLong(chatId);
  }

  static JsonObject bot(long botId) {
    return new JsonObject().put("id", botId).put("is_bot", true).put("first_name", "ESP Sandbox")
        .put("username", "esp_sandbox_bot");
  }

  @Override
  public void drawn(Delivery delivery, Outcome outcome) {
    if (outcome.fate() == Outcome.Fate.HARD_BOUNCE) {
      blockedChats.add(Hashing.hash64(delivery.address()));
    }
  }

  @Override
  public void reset() {
    blockedChats.clear();
  }

  private static Reply ok(JsonObject result) {
    return Reply.json(200, new JsonObject().put("ok", true).put("result", result));
  }

  static Reply error(int code, String description) {
    return Reply.json(code, new JsonObject().put("ok", false).put("error_code", code).put("description", description));
  }

  @Override
  public Reply serverError(int status) {
    return error(status, status == 502 ? "Bad Gateway" : "Internal Server Error");
  }

  @Override
  public Reply throttled(Profile profile, long nowMs) {
    int after = Math.max(1, profile.retryAfterS());
    return Reply.json(429, new JsonObject().put("ok", false).put("error_code", 429)
        .put("description", "Too Many Requests: retry after " + after)
        .put("parameters", new JsonObject().put("retry_after", after)));
  }

  @Override
  public Reply tooLarge() {
    return error(413, "Request Entity Too Large");
  }
}
