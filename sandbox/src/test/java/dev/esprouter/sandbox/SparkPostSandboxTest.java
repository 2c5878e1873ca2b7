package dev.esprouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.SandboxSecrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SparkPost in the sandbox")
class SparkPostSandboxTest extends SandboxHarness {

  private static final String PATH = "/sparkpost/api/v1/transmissions";
  private static final Map<String, String> AUTH = Map.of("Authorization", "sandbox-sparkpost-key");

  static JsonObject transmission(int n) {
    JsonArray rcpts = new JsonArray();
    for (int i = 0; i < n; i++) {
      rcpts.add(new JsonObject().put("address", new JsonObject().put("email", "user" + i + "@example.com"))
          .put("metadata", new JsonObject().put("esp_message_id", "msg_" + i)).put("tags", new JsonArray().add("t")));
    }
    return new JsonObject().put("recipients", rcpts).put("campaign_id", "bat_9")
        .put("content", new JsonObject().put("from", "noreply@shop.example").put("subject", "Hi").put("text", "Hello"));
  }

  @Test
  @DisplayName("a transmission is answered 200 with results.id and the accepted count; Basic auth works too")
  void accepts() {
    JsonObject r = post(PATH, AUTH, transmission(4)).bodyAsJsonObject().getJsonObject("results");
    assertThat(r.getString("id")).matches("\\d{17}");
    assertThat(r.getInteger("total_accepted_recipients")).isEqualTo(4);
    assertThat(r.getInteger("total_rejected_recipients")).isZero();
    String basic = "Basic " + Base64.getEncoder().encodeToString("k:".getBytes(StandardCharsets.UTF_8));
    assertThat(post(PATH, Map.of("Authorization", basic), transmission(1)).statusCode()).isEqualTo(200);
    assertThat(stats(ProviderName.SPARKPOST).messages()).isEqualTo(5);
  }

  @Test
  @DisplayName("no API key is refused 401 in SparkPost's errors shape")
  void badAuth() {
    HttpResponse<Buffer> r = post(PATH, Map.of(), transmission(1));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors")).isNotEmpty();
    assertThat(stats(ProviderName.SPARKPOST).messages()).isZero();
  }

  @Test
  @DisplayName("invalid recipients are listed in rcpt_to_errors while the valid ones go; none valid is 422")
  void partial() {
    JsonObject t = transmission(3);
    t.getJsonArray("recipients").getJsonObject(1).getJsonObject("address").put("email", "broken@");
    JsonObject body = post(PATH, AUTH, t).bodyAsJsonObject();
    assertThat(body.getJsonObject("results").getInteger("total_accepted_recipients")).isEqualTo(2);
    assertThat(body.getJsonObject("results").getJsonArray("rcpt_to_errors")).hasSize(1);
    assertThat(body.getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("2000");
    JsonObject none = transmission(1);
    none.getJsonArray("recipients").getJsonObject(0).getJsonObject("address").put("email", "x");
    assertThat(post(PATH, AUTH, none).statusCode()).isEqualTo(422);
    assertThat(stats(ProviderName.SPARKPOST).messages()).isEqualTo(2);
    assertThat(stats(ProviderName.SPARKPOST).rejected()).isEqualTo(2);
  }

  @Test
  @DisplayName("malformed JSON is 400 (1300); missing content or recipients is 422 (1400)")
  void malformed() {
    HttpResponse<Buffer> r = post(PATH, AUTH, Buffer.buffer("nope"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("1300");
    JsonObject noContent = transmission(1);
    noContent.remove("content");
    assertThat(post(PATH, AUTH, noContent).statusCode()).isEqualTo(422);
    JsonObject noRecipients = transmission(1);
    noRecipients.remove("recipients");
    HttpResponse<Buffer> r2 = post(PATH, AUTH, noRecipients);
    assertThat(r2.statusCode()).isEqualTo(422);
    assertThat(r2.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("1400");
  }

  @Test
  @DisplayName("events come as a basic-auth msys array carrying rcpt_meta and the transmission id")
  void webhooks() {
    outcomes(ProviderName.SPARKPOST, new JsonObject().put("delivered", 1.0).put("opened", 1.0));
    String id = post(PATH, AUTH, transmission(2)).bodyAsJsonObject().getJsonObject("results").getString("id");
    var posts = receiver.await("sparkpost", l -> l.stream().mapToInt(p -> p.body().toJsonArray().size()).sum() >= 4);
    JsonArray all = new JsonArray();
    for (var p : posts) {
      assertThat(p.headers().get("Authorization")).isEqualTo(SignatureChecks.basic(
          SandboxSecrets.SPARKPOST_WEBHOOK_USER, SandboxSecrets.SPARKPOST_WEBHOOK_PASSWORD));
      assertThat(p.headers().get("X-MessageSystems-Batch-ID")).isNotBlank();
      all.addAll(p.body().toJsonArray());
    }
    for (Object o : all) {
      JsonObject msys = ((JsonObject) o).getJsonObject("msys");
      JsonObject e = msys.containsKey("message_event") ? msys.getJsonObject("message_event")
          : msys.getJsonObject("track_event");
      assertThat(e.getString("transmission_id")).isEqualTo(id);
      assertThat(e.getJsonObject("rcpt_meta").getString("esp_message_id"))
          .isEqualTo("msg_" + e.getString("rcpt_to").replaceAll("\\D", ""));
    }
    assertThat(all).extracting(o -> {
      JsonObject msys = ((JsonObject) o).getJsonObject("msys");
      return msys.fieldNames().iterator().next() + ":" + msys.getJsonObject(msys.fieldNames().iterator().next())
          .getString("type");
    }).containsExactlyInAnyOrder("message_event:delivery", "message_event:delivery", "track_event:open",
        "track_event:open");
  }
}
