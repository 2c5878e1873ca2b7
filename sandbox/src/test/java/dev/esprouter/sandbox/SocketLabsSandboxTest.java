package dev.esprouter.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.SandboxSecrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SocketLabs in the sandbox")
class SocketLabsSandboxTest extends SandboxHarness {

  private static final String PATH = "/socketlabs/api/v1/email";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer sandbox-socketlabs-key");

  static JsonObject message(int i) {
    return new JsonObject()
        .put("To", new JsonArray().add(new JsonObject().put("emailAddress", "user" + i + "@example.com")))
        .put("From", new JsonObject().put("emailAddress", "noreply@shop.example"))
        .put("Subject", "Hi").put("TextBody", "Hello").put("MessageId", "msg_" + i).put("MailingId", "bat_1");
  }

  static JsonObject request(JsonArray messages) {
    return new JsonObject().put("ServerId", 12345).put("Messages", messages);
  }

  @Test
  @DisplayName("messages are answered 200 with ErrorCode Success and a TransactionReceipt")
  void accepts() {
    HttpResponse<Buffer> r = post(PATH, AUTH, request(new JsonArray().add(message(1)).add(message(2))));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("ErrorCode")).isEqualTo("Success");
    assertThat(r.bodyAsJsonObject().getString("TransactionReceipt")).isNotBlank();
    assertThat(r.bodyAsJsonObject().getJsonArray("MessageResults")).isEmpty();
    assertThat(stats(ProviderName.SOCKETLABS).messages()).isEqualTo(2);
  }

  @Test
  @DisplayName("the legacy ApiKey in the body authenticates too; no key, or no ServerId, is 401 InvalidAuthentication")
  void auth() {
    assertThat(post(PATH, Map.of(), request(new JsonArray().add(message(1))).put("ApiKey", "legacy"))
        .bodyAsJsonObject().getString("ErrorCode")).isEqualTo("Success");
    HttpResponse<Buffer> none = post(PATH, Map.of(), request(new JsonArray().add(message(1))));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.bodyAsJsonObject().getString("ErrorCode")).isEqualTo("InvalidAuthentication");
    JsonObject noServer = request(new JsonArray().add(message(1)));
    noServer.remove("ServerId");
    assertThat(post(PATH, AUTH, noServer).statusCode()).isEqualTo(401);
    assertThat(stats(ProviderName.SOCKETLABS).messages()).isEqualTo(1);
  }

  @Test
  @DisplayName("too many messages, or more than 50 recipients in one, is refused in the body's ErrorCode")
  void limits() {
    JsonArray many = new JsonArray();
    for (int i = 0; i < SandboxOptions.DEFAULT_SOCKETLABS_MAX_MESSAGES + 1; i++) {
      many.add(message(i));
    }
    assertThat(post(PATH, AUTH, request(many)).bodyAsJsonObject().getString("ErrorCode"))
        .isEqualTo("TooManyMessages");
    JsonObject crowded = message(1);
    for (int i = 0; i < 50; i++) {
      crowded.getJsonArray("To").add(new JsonObject().put("emailAddress", "x" + i + "@example.com"));
    }
    JsonObject r = post(PATH, AUTH, request(new JsonArray().add(crowded))).bodyAsJsonObject();
    assertThat(r.getString("ErrorCode")).isEqualTo("TooManyRecipients");
    assertThat(stats(ProviderName.SOCKETLABS).messages()).isZero();
  }

  @Test
  @DisplayName("a bad message among good ones gives Warning with its MessageResult; a non-JSON body gives InvalidData")
  void partialAndMalformed() {
    JsonArray messages = new JsonArray().add(message(1)).add(message(2).put("Subject", ""));
    JsonObject r = post(PATH, AUTH, request(messages)).bodyAsJsonObject();
    assertThat(r.getString("ErrorCode")).isEqualTo("Warning");
    assertThat(r.getJsonArray("MessageResults").getJsonObject(0).getMap())
        .containsEntry("Index", 1).containsEntry("ErrorCode", "EmptySubject");
    assertThat(stats(ProviderName.SOCKETLABS).messages()).isEqualTo(1);
    HttpResponse<Buffer> bad = post(PATH, AUTH, Buffer.buffer("[1,2"));
    assertThat(bad.statusCode()).isEqualTo(401);
    JsonObject noMessages = new JsonObject().put("ServerId", 1).put("Messages", "x");
    assertThat(post(PATH, AUTH, noMessages).bodyAsJsonObject().getString("ErrorCode")).isEqualTo("InvalidData");
  }

  @Test
  @DisplayName("a bulk message sends one recipient per MergeData row, each with the MessageId merged from its row")
  void bulkMerge() {
    JsonArray rows = new JsonArray();
    for (int i = 0; i < 3; i++) {
      rows.add(new JsonArray()
          .add(new JsonObject().put("Field", "DeliveryAddress").put("Value", "bulk" + i + "@example.com"))
          .add(new JsonObject().put("Field", "EspMessageId").put("Value", "msg_b" + i)));
    }
    JsonObject bulk = message(0)
        .put("To", new JsonArray().add(new JsonObject().put("emailAddress", "%%DeliveryAddress%%")))
        .put("MessageId", "%%EspMessageId%%")
        .put("MergeData", new JsonObject().put("PerMessage", rows));
    outcomes(ProviderName.SOCKETLABS, new JsonObject().put("delivered", 1.0));
    assertThat(post(PATH, AUTH, request(new JsonArray().add(bulk))).bodyAsJsonObject().getString("ErrorCode"))
        .isEqualTo("Success");
    assertThat(stats(ProviderName.SOCKETLABS).messages()).isEqualTo(3);
    var posts = receiver.await("socketlabs", l -> l.size() >= 3);
    assertThat(posts).extracting(p -> p.body().toJsonObject().getString("MessageId"))
        .containsExactlyInAnyOrder("msg_b0", "msg_b1", "msg_b2");
    assertThat(posts).extracting(p -> p.body().toJsonObject().getString("Address"))
        .containsExactlyInAnyOrder("bulk0@example.com", "bulk1@example.com", "bulk2@example.com");
  }

  @Test
  @DisplayName("invalid addresses are refused one by one in AddressResults while the valid ones of the message go")
  void invalidAddresses() {
    JsonObject basic = message(1);
    basic.put("CC", new JsonArray().add(new JsonObject().put("emailAddress", "broken@")));
    JsonObject r = post(PATH, AUTH, request(new JsonArray().add(basic))).bodyAsJsonObject();
    assertThat(r.getString("ErrorCode")).isEqualTo("Warning");
    JsonObject result = r.getJsonArray("MessageResults").getJsonObject(0);
    assertThat(result.getJsonArray("AddressResults").getJsonObject(0).getMap())
        .containsEntry("EmailAddress", "broken@").containsEntry("Accepted", false);
    JsonArray rows = new JsonArray()
        .add(new JsonArray().add(new JsonObject().put("Field", "DeliveryAddress").put("Value", "ok@example.com")))
        .add(new JsonArray().add(new JsonObject().put("Field", "DeliveryAddress").put("Value", "nope")));
    JsonObject bulk = message(0)
        .put("To", new JsonArray().add(new JsonObject().put("emailAddress", "%%DeliveryAddress%%")))
        .put("MergeData", new JsonObject().put("PerMessage", rows));
    JsonObject b = post(PATH, AUTH, request(new JsonArray().add(bulk))).bodyAsJsonObject();
    assertThat(b.getString("ErrorCode")).isEqualTo("Warning");
    assertThat(b.getJsonArray("MessageResults").getJsonObject(0).getJsonArray("AddressResults")).hasSize(1);
    assertThat(stats(ProviderName.SOCKETLABS).messages()).isEqualTo(2);
    assertThat(stats(ProviderName.SOCKETLABS).rejected()).isEqualTo(2);
  }

  @Test
  @DisplayName("events come one object per POST carrying the SecretKey, MessageId, MailingId and Metadata")
  void webhooks() {
    outcomes(ProviderName.SOCKETLABS, new JsonObject().put("bounced", 1.0));
    JsonObject m = message(4).put("Metadata", new JsonArray().add(new JsonObject().put("Key", "k").put("Value", "v")));
    post(PATH, AUTH, request(new JsonArray().add(m)));
    JsonObject e = receiver.await("socketlabs", l -> !l.isEmpty()).get(0).body().toJsonObject();
    assertThat(e.getString("SecretKey")).isEqualTo(SandboxSecrets.SOCKETLABS_WEBHOOK_SECRET);
    assertThat(e.getMap()).containsEntry("Type", "Failed").containsEntry("FailureType", "Permanent")
        .containsEntry("MessageId", "msg_4").containsEntry("MailingId", "bat_1")
        .containsEntry("Address", "user4@example.com");
    assertThat(e.getLong("ServerId")).isEqualTo(12345L);
    assertThat(e.getJsonObject("Data").getJsonArray("Meta").getJsonObject(0).getString("Value")).isEqualTo("v");
  }
}
