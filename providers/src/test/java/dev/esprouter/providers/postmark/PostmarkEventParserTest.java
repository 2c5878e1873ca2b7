package dev.esprouter.providers.postmark;

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
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PostmarkEventParserTest {

  private final PostmarkEventParser parser = new PostmarkEventParser();

  private List<DeliveryEvent> parseAll(String fixture) {
    return Golden.parseEach(parser, fixture);
  }

  @Test
  @DisplayName("Every Postmark record type of the normalized table maps to its event, side and correlation (golden)")
  void golden() {
    List<DeliveryEvent> events = parseAll("postmark-records.json");

    assertThat(events).extracting(DeliveryEvent::type, DeliveryEvent::recipientSide, DeliveryEvent::messageId)
        .containsExactly(
            tuple(DELIVERED, false, "msg_01KAQZJ0000000000000000B01"),
            tuple(OPENED, false, "msg_01KAQZJ0000000000000000B01"),
            tuple(CLICKED, false, "msg_01KAQZJ0000000000000000B01"),
            tuple(BOUNCED, true, "msg_01KAQZJ0000000000000000B02"),
            tuple(BOUNCED, true, "msg_01KAQZJ0000000000000000B03"),
            tuple(BOUNCED, false, "msg_01KAQZJ0000000000000000B04"),
            tuple(DEFERRED, false, "msg_01KAQZJ0000000000000000B05"),
            tuple(DEFERRED, false, "msg_01KAQZJ0000000000000000B06"),
            tuple(DEFERRED, false, "msg_01KAQZJ0000000000000000B07"),
            tuple(COMPLAINED, false, "msg_01KAQZJ0000000000000000B01"),
            tuple(UNSUBSCRIBED, false, "msg_01KAQZJ0000000000000000B01"),
            tuple(DELIVERED, false, null));
    Golden.assertMatches(events, "postmark-records.json");
  }

  @Test
  @DisplayName("Postmark times with an offset and seven fractional digits are read exactly")
  void isoTimes() {
    List<DeliveryEvent> events = parseAll("postmark-records.json");
    assertThat(events.get(0).occurredAt()).isEqualTo(Instant.parse("2026-11-23T17:20:05.907025900Z"));
    assertThat(events.get(2).occurredAt()).isEqualTo(Instant.parse("2026-11-23T22:26:00Z"));
  }

  @Test
  @DisplayName("Without Metadata.esp_message_id the event is tied by MessageID")
  void providerMessageIdFallback() {
    DeliveryEvent last = parseAll("postmark-records.json").get(11);
    assertThat(last.messageId()).isNull();
    assertThat(last.providerMessageId()).isEqualTo("0a129aee-e1cd-480d-b08d-4f48548ff48d");
  }

  @Test
  @DisplayName("The same Postmark record twice has the same dedupe key, and different records differ")
  void dedupe() {
    List<DeliveryEvent> first = parseAll("postmark-records.json");
    List<DeliveryEvent> again = parseAll("postmark-records.json");
    assertThat(first).extracting(DeliveryEvent::dedupeKey)
        .isEqualTo(again.stream().map(DeliveryEvent::dedupeKey).toList())
        .doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("A Postmark body without RecordType, with a bad date or not an object is malformed")
  void malformed() {
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("{\"MessageID\":\"x\"}")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("RecordType");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer(
        "{\"RecordType\":\"Delivery\",\"MessageID\":\"x\",\"Recipient\":\"a@example.com\",\"DeliveredAt\":\"yesterday\"}")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("DeliveredAt");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("[]")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("object");
  }
}
