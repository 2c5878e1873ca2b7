package dev.esprouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.SandboxSecrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Telegram Bot API in the sandbox")
class TelegramSandboxTest extends SandboxHarness {

  private static final String BOT = "/telegram/bot123456:AAHsandboxToken_x-y";

  @Test
  @DisplayName("sendMessage by JSON, form or query is answered ok with result.message_id")
  void accepts() {
    JsonObject json = post(BOT + "/sendMessage", Map.of(), new JsonObject().put("chat_id", 42).put("text", "Hi"))
        .bodyAsJsonObject();
    assertThat(json.getBoolean("ok")).as(json.encode()).isTrue();
    assertThat(json.getJsonObject("result").getLong("message_id")).isPositive();
    assertThat(json.getJsonObject("result").getJsonObject("chat").getLong("id")).isEqualTo(42L);
    HttpResponse<Buffer> form = post(BOT + "/sendMessage", Map.of("content-type",
        "application/x-www-form-urlencoded"), Buffer.buffer("chat_id=43&text=Hello%20there"));
    assertThat(form.bodyAsJsonObject().getJsonObject("result").getString("text")).isEqualTo("Hello there");
    HttpResponse<Buffer> query = request(HttpMethod.GET, BOT + "/sendMessage?chat_id=44&text=Hey", Map.of(), null);
    assertThat(query.bodyAsJsonObject().getBoolean("ok")).as(query.bodyAsString()).isTrue();
    assertThat(stats(ProviderName.TELEGRAM).messages()).isEqualTo(3);
  }

  @Test
  @DisplayName("a token not of the form <digits>:<secret> is 404 Not Found, as Telegram answers")
  void badToken() {
    HttpResponse<Buffer> r = post("/telegram/botnonsense/sendMessage", Map.of(),
        new JsonObject().put("chat_id", 42).put("text", "Hi"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getMap()).containsEntry("ok", false).containsEntry("error_code", 404);
    assertThat(stats(ProviderName.TELEGRAM).messages()).isZero();
  }

  @Test
  @DisplayName("an empty text, a missing chat or a text over 4096 characters is refused 400 with its description")
  void malformed() {
    assertThat(post(BOT + "/sendMessage", Map.of(), new JsonObject().put("chat_id", 42).put("text", ""))
        .bodyAsJsonObject().getString("description")).isEqualTo("Bad Request: message text is empty");
    assertThat(post(BOT + "/sendMessage", Map.of(), new JsonObject().put("text", "x"))
        .bodyAsJsonObject().getString("description")).isEqualTo("Bad Request: chat_id is empty");
    HttpResponse<Buffer> tooLong = post(BOT + "/sendMessage", Map.of(), new JsonObject().put("chat_id", 42)
        .put("text", "x".repeat(4097)));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.bodyAsJsonObject().getString("description")).isEqualTo("Bad Request: message is too long");
    assertThat(post(BOT + "/sendMessage", Map.of(), Buffer.buffer("{")).statusCode()).isEqualTo(400);
    assertThat(stats(ProviderName.TELEGRAM).messages()).isZero();
  }

  @Test
  @DisplayName("a user who blocks the bot produces a my_chat_member update (kicked); later sends get 403")
  void blocked() {
    outcomes(ProviderName.TELEGRAM, new JsonObject().put("bounced", 1.0));
    post(BOT + "/sendMessage", Map.of(), new JsonObject().put("chat_id", 777).put("text", "Hi"));
    var update = receiver.await("telegram", l -> !l.isEmpty()).get(0);
    assertThat(update.headers().get("X-Telegram-Bot-Api-Secret-Token"))
        .isEqualTo(SandboxSecrets.TELEGRAM_WEBHOOK_SECRET);
    JsonObject member = update.body().toJsonObject().getJsonObject("my_chat_member");
    assertThat(member.getJsonObject("chat").getLong("id")).isEqualTo(777L);
    assertThat(member.getJsonObject("new_chat_member").getString("status")).isEqualTo("kicked");
    HttpResponse<Buffer> again = post(BOT + "/sendMessage", Map.of(), new JsonObject().put("chat_id", 777)
        .put("text", "Hi again"));
    assertThat(again.statusCode()).isEqualTo(403);
    assertThat(again.bodyAsJsonObject().getString("description")).isEqualTo("Forbidden: bot was blocked by the user");
  }

  @Test
  @DisplayName("delivered messages produce no webhook: Telegram has no delivery receipts")
  void noReceipts() {
    outcomes(ProviderName.TELEGRAM, new JsonObject().put("delivered", 1.0).put("opened", 1.0));
    post(BOT + "/sendMessage", Map.of(), new JsonObject().put("chat_id", 5).put("text", "Hi"));
    assertThat(stats(ProviderName.TELEGRAM).webhooksPending()).isZero();
    assertThat(stats(ProviderName.TELEGRAM).messages()).isEqualTo(1);
  }
}
