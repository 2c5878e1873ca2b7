package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.SendChunk;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("An email naming a template is sent as the template's content; an unknown template is refused")
class EmailTemplateApiTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();
  @TempDir
  static Path templates;
  static IngressHarness h;
  static final String KEY = IngressHarness.BOOTSTRAP_KEY;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(templates.resolve("order-confirmation.subject.jte"), "@param String order_id\nOrder ${order_id}\n");
    Files.writeString(templates.resolve("order-confirmation.html.jte"), "@param String name\n<p>Hi ${name}</p>\n");
    h = IngressHarness.start(env, Map.of("ESP_TEMPLATES_DIR", templates.toString()));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static JsonObject templated(String to, String template) {
    return new JsonObject().put("channel", "email").put("to", to).put("from", "Shop <noreply@shop.example>")
        .put("template", template).put("data", new JsonObject().put("name", "Alice").put("order_id", "A-17"));
  }

  @Test
  @DisplayName("202, and the record on the lane carries the rendered content with the recipient's data beside it")
  void rendered() {
    HttpResponse<Buffer> r = h.post("/v1/messages", KEY, templated("alice@example.com", "order-confirmation"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    String id = r.bodyAsJsonObject().getString("id");
    List<ConsumerRecord<String, byte[]>> records = h.sendRecords("read_committed", 1500);
    SendChunk chunk = records.stream().map(rec -> SendChunk.fromBuffer(Buffer.buffer(rec.value())))
        .filter(c -> c.recipients().get(0).messageId().equals(id)).findFirst().orElseThrow();
    assertThat(chunk.content().subject()).isEqualTo("Order {{order_id}}");
    assertThat(chunk.content().html()).isEqualTo("<p>Hi {{name}}</p>\n");
    assertThat(chunk.content().template()).isEqualTo("order-confirmation");
    assertThat(chunk.recipients().get(0).data().getString("name")).isEqualTo("Alice");
  }

  @Test
  @DisplayName("an unknown template is 400 unknown_template naming the field, and nothing is enqueued")
  void unknown() {
    int before = h.sendRecords("read_uncommitted", 500).size();
    HttpResponse<Buffer> r = h.post("/v1/messages", KEY, templated("bob@example.com", "no-such-template"));
    assertThat(r.statusCode()).isEqualTo(400);
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("unknown_template");
    assertThat(error.getString("field")).isEqualTo("template");
    JsonObject batch = templated("x@example.com", "no-such-template");
    batch.remove("to");
    batch.put("recipients", new io.vertx.core.json.JsonArray().add(new JsonObject().put("to", "c@example.com")));
    assertThat(h.post("/v1/batches", KEY, batch).statusCode()).isEqualTo(400);
    assertThat(h.sendRecords("read_uncommitted", 1000)).hasSize(before);
  }
}
