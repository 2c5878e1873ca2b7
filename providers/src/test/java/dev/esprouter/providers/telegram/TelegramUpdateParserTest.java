package dev.esprouter.providers.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.providers.webhook.Golden;
import dev.esprouter.providers.webhook.MalformedWebhookException;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TelegramUpdateParserTest {

  private final TelegramUpdateParser parser = new TelegramUpdateParser();

  @Test
  @DisplayName("my_chat_member with new status kicked is BLOCKED on the chat; un-blocking and messages give nothing (golden)")
  void golden() {
    List<DeliveryEvent> events = Golden.parseEach(parser, "telegram-updates.json");

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(EventType.BLOCKED);
      assertThat(e.recipientSide()).isTrue();
      assertThat(e.recipient()).isEqualTo("123456789");
      assertThat(e.dedupeKey()).isEqualTo("918273645");
      assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochSecond(1763920800));
    });
    Golden.assertMatches(events, "telegram-updates.json");
  }

  @Test
  @DisplayName("An update without update_id, or a my_chat_member without its chat, is malformed")
  void malformed() {
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("{\"message\":{}}")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("update_id");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer(
        "{\"update_id\":1,\"my_chat_member\":{\"date\":1,\"new_chat_member\":{\"status\":\"kicked\"}}}")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("chat");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("[]")))
        .isInstanceOf(MalformedWebhookException.class);
  }
}
