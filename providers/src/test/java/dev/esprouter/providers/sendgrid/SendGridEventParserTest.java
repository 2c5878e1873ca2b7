package dev.esprouter.providers.sendgrid;

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

class SendGridEventParserTest {

  private final SendGridEventParser parser = new SendGridEventParser();

  @Test
  @DisplayName("Every SendGrid event type of the normalized table maps to its event, side and correlation (golden)")
  void golden() {
    List<DeliveryEvent> events = parser.parse(Golden.fixture("sendgrid-events.json"));

    assertThat(events).extracting(DeliveryEvent::type, DeliveryEvent::recipientSide, DeliveryEvent::messageId)
        .containsExactly(
            tuple(DELIVERED, false, "msg_01KAQZJ0000000000000000A01"),
            tuple(OPENED, false, "msg_01KAQZJ0000000000000000A01"),
            tuple(CLICKED, false, "msg_01KAQZJ0000000000000000A01"),
            tuple(DEFERRED, false, "msg_01KAQZJ0000000000000000A02"),
            tuple(DEFERRED, false, "msg_01KAQZJ0000000000000000A02"),
            tuple(BOUNCED, true, "msg_01KAQZJ0000000000000000A03"),
            tuple(BOUNCED, false, "msg_01KAQZJ0000000000000000A04"),
            tuple(BOUNCED, true, "msg_01KAQZJ0000000000000000A05"),
            tuple(DROPPED, true, "msg_01KAQZJ0000000000000000A06"),
            tuple(DROPPED, false, "msg_01KAQZJ0000000000000000A07"),
            tuple(COMPLAINED, false, "msg_01KAQZJ0000000000000000A01"),
            tuple(UNSUBSCRIBED, false, "msg_01KAQZJ0000000000000000A01"),
            tuple(UNSUBSCRIBED, false, "msg_01KAQZJ0000000000000000A08"),
            tuple(DELIVERED, false, null));
    Golden.assertMatches(events, "sendgrid-events.json");
  }

  @Test
  @DisplayName("Without esp_message_id the event is tied by the X-Message-Id part of sg_message_id")
  void providerMessageIdFallback() {
    DeliveryEvent e = parser.parse(Buffer.buffer("""
        [{"email":"ivy@example.com","timestamp":1763921040,"event":"delivered","sg_event_id":"ev1",
          "sg_message_id":"9Xb3mQtVRAyZ1bxM7Cg0Ow.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0"}]""")).get(0);

    assertThat(e.messageId()).isNull();
    assertThat(e.providerMessageId()).isEqualTo("9Xb3mQtVRAyZ1bxM7Cg0Ow");
    assertThat(e.recipient()).isEqualTo("ivy@example.com");
    assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochSecond(1763921040));
    assertThat(e.dedupeKey()).isEqualTo("ev1");
  }

  @Test
  @DisplayName("The same SendGrid event delivered twice has the same dedupe key (sg_event_id)")
  void sameEventSameKey() {
    Buffer body = Golden.fixture("sendgrid-events.json");
    assertThat(parser.parse(body)).extracting(DeliveryEvent::dedupeKey)
        .isEqualTo(parser.parse(body.copy()).stream().map(DeliveryEvent::dedupeKey).toList())
        .doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("An event type SendGrid adds later is skipped, not a reason to refuse the batch")
  void unknownEventSkipped() {
    assertThat(parser.parse(Buffer.buffer("""
        [{"email":"a@example.com","timestamp":1763921040,"event":"account_status_change","sg_event_id":"x"}]""")))
        .isEmpty();
  }

  @Test
  @DisplayName("A body that is not an array of events is malformed, naming what is wrong")
  void malformed() {
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("{\"event\":\"delivered\"}")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("array");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("[1]")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("$[0]");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("[{\"event\":\"delivered\",\"sg_event_id\":\"x\"}]")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("timestamp");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("[{\"timestamp\":1}]")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("event");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("[{\"event\":")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("JSON");
  }
}
