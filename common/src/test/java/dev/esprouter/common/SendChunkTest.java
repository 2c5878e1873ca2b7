package dev.esprouter.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SendChunkTest {

  @Test
  @DisplayName("A chunk survives the Kafka record encoding unchanged")
  void roundTrip() {
    SendChunk c = new SendChunk("bat_1", "ten_1", 3, 20, Channel.EMAIL, Priority.NORMAL, "postmark",
        Instant.parse("2026-12-01T09:00:00Z"), null, 2,
        new Content("Shop <n@shop.example>", null, "Hi {{name}}", "<p>{{name}}</p>", "Hi", null, "en"),
        List.of(new Recipient("msg_1", "a@example.com", new JsonObject().put("name", "A"), null),
            new Recipient("msg_2", "b@example.com", null, new JsonObject().put("k", "v"))),
        Instant.parse("2026-11-23T10:00:00Z"), null);
    SendChunk back = SendChunk.fromBuffer(c.toBuffer());
    assertThat(back).isEqualTo(c);
    assertThat(back.key()).isEqualTo("bat_1");
  }

  @Test
  @DisplayName("A single message is keyed by its message id")
  void singleKey() {
    SendChunk c = new SendChunk(null, "ten_1", 0, 1, Channel.TELEGRAM, Priority.HIGH, null, null, null, 0,
        new Content(null, null, null, null, "hi", null, null),
        List.of(new Recipient("msg_9", "12345", null, null)), Instant.now(), null);
    assertThat(c.key()).isEqualTo("msg_9");
    assertThat(c.isSingle()).isTrue();
  }
}
