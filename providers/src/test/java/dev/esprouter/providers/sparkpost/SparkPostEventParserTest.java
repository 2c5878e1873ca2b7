package dev.esprouter.providers.sparkpost;

import static dev.esprouter.common.EventType.BOUNCED;
import static dev.esprouter.common.EventType.CLICKED;
import static dev.esprouter.common.EventType.COMPLAINED;
import static dev.esprouter.common.EventType.DEFERRED;
import static dev.esprouter.common.EventType.DELIVERED;
import static dev.esprouter.common.EventType.DROPPED;
import static dev.esprouter.common.EventType.OPENED;
import static dev.esprouter.common.EventType.UNSUBSCRIBED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.providers.webhook.Golden;
import dev.esprouter.providers.webhook.MalformedWebhookException;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SparkPostEventParserTest {

  private final SparkPostEventParser parser = new SparkPostEventParser();

  @Test
  @DisplayName("Every SparkPost event type of the normalized table maps to its event, side and correlation (golden)")
  void golden() {
    List<DeliveryEvent> events = parser.parse(Golden.fixture("sparkpost-batch.json"));

    assertThat(events).extracting(DeliveryEvent::type, DeliveryEvent::recipientSide, DeliveryEvent::messageId)
        .containsExactly(
            tuple(DELIVERED, false, "msg_01KAQZJ0000000000000000D01"),
            tuple(OPENED, false, "msg_01KAQZJ0000000000000000D01"),
            tuple(OPENED, false, "msg_01KAQZJ0000000000000000D01"),
            tuple(CLICKED, false, "msg_01KAQZJ0000000000000000D01"),
            tuple(DEFERRED, false, "msg_01KAQZJ0000000000000000D02"),
            tuple(BOUNCED, true, "msg_01KAQZJ0000000000000000D03"),
            tuple(DEFERRED, false, "msg_01KAQZJ0000000000000000D04"),
            tuple(BOUNCED, true, "msg_01KAQZJ0000000000000000D05"),
            tuple(COMPLAINED, false, "msg_01KAQZJ0000000000000000D01"),
            tuple(DROPPED, false, "msg_01KAQZJ0000000000000000D06"),
            tuple(DROPPED, false, "msg_01KAQZJ0000000000000000D07"),
            tuple(DROPPED, false, "msg_01KAQZJ0000000000000000D08"),
            tuple(UNSUBSCRIBED, false, "msg_01KAQZJ0000000000000000D01"),
            tuple(UNSUBSCRIBED, false, "msg_01KAQZJ0000000000000000D01"),
            tuple(DELIVERED, false, null));
    assertThat(events.get(events.size() - 1).providerMessageId()).isEqualTo("11668787484950530");
    assertThat(events).extracting(DeliveryEvent::dedupeKey).doesNotHaveDuplicates();
    Golden.assertMatches(events, "sparkpost-batch.json");
  }

  @Test
  @DisplayName("Timestamps given as strings and as numbers are both Unix seconds")
  void timestamps() {
    List<DeliveryEvent> events = parser.parse(Golden.fixture("sparkpost-batch.json"));
    assertThat(events.get(1).occurredAt()).isEqualTo(Instant.ofEpochSecond(1763920900));
    assertThat(events.get(2).occurredAt()).isEqualTo(Instant.ofEpochSecond(1763920901));
  }

  @Test
  @DisplayName("The test POST SparkPost sends on webhook creation gives no event")
  void pingBatch() {
    assertThat(parser.parse(Buffer.buffer("[{\"msys\":{}}]"))).isEmpty();
  }

  @Test
  @DisplayName("A SparkPost batch that is not an array of msys objects, or an event without event_id, is malformed")
  void malformed() {
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("{\"msys\":{}}")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("array");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("[{\"msys\":[]}]")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("msys");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer(
        "[{\"msys\":{\"message_event\":{\"type\":\"delivery\",\"timestamp\":\"1\"}}}]")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("event_id");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer(
        "[{\"msys\":{\"message_event\":{\"type\":\"delivery\",\"event_id\":\"1\",\"timestamp\":\"soon\"}}}]")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("timestamp");
  }
}
