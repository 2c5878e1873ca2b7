package dev.esprouter.providers.socketlabs;

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

class SocketLabsEventParserTest {

  private final SocketLabsEventParser parser = new SocketLabsEventParser();

  private List<DeliveryEvent> parseAll(String fixture) {
    return Golden.parseEach(parser, fixture);
  }

  @Test
  @DisplayName("Every SocketLabs notification type of the normalized table maps to its event and side (golden)")
  void golden() {
    List<DeliveryEvent> events = parseAll("socketlabs-notifications.json");

    assertThat(events).extracting(DeliveryEvent::type, DeliveryEvent::recipientSide, DeliveryEvent::messageId)
        .containsExactly(
            tuple(DELIVERED, false, "msg_01KAQZJ0000000000000000C01"),
            tuple(DEFERRED, false, "msg_01KAQZJ0000000000000000C02"),
            tuple(BOUNCED, true, "msg_01KAQZJ0000000000000000C03"),
            tuple(BOUNCED, false, "msg_01KAQZJ0000000000000000C04"),
            tuple(DEFERRED, false, "msg_01KAQZJ0000000000000000C05"),
            tuple(DROPPED, true, "msg_01KAQZJ0000000000000000C06"),
            tuple(COMPLAINED, false, "msg_01KAQZJ0000000000000000C01"),
            tuple(OPENED, false, "msg_01KAQZJ0000000000000000C01"),
            tuple(CLICKED, false, "msg_01KAQZJ0000000000000000C01"),
            tuple(UNSUBSCRIBED, false, "msg_01KAQZJ0000000000000000C01"));
    assertThat(events).extracting(DeliveryEvent::providerMessageId).containsOnlyNulls();
    Golden.assertMatches(events, "socketlabs-notifications.json");
  }

  @Test
  @DisplayName("An open and a click in the same second are two events (dedupe keys differ), a repeat is one")
  void dedupe() {
    List<DeliveryEvent> events = parseAll("socketlabs-notifications.json");
    assertThat(events).extracting(DeliveryEvent::dedupeKey).doesNotHaveDuplicates();
    assertThat(parseAll("socketlabs-notifications.json")).extracting(DeliveryEvent::dedupeKey)
        .isEqualTo(events.stream().map(DeliveryEvent::dedupeKey).toList());
  }

  @Test
  @DisplayName("A legacy form-encoded notification is read like the JSON one")
  void formEncoded() {
    List<DeliveryEvent> events = parser.parse(Buffer.buffer("Type=Failed&DateTime=2026-11-23T17%3A20%3A06Z"
        + "&MessageId=msg_01KAQZJ0000000000000000C03&Address=carol%40example.com&FailureType=Permanent"
        + "&FailureCode=2001&Reason=Invalid+recipient&SecretKey=s"));
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(BOUNCED);
      assertThat(e.recipientSide()).isTrue();
      assertThat(e.recipient()).isEqualTo("carol@example.com");
      assertThat(e.reason()).isEqualTo("2001: Invalid recipient");
      assertThat(e.occurredAt()).isEqualTo(Instant.parse("2026-11-23T17:20:06Z"));
    });
  }

  @Test
  @DisplayName("A SocketLabs notification without Type, with an unknown FailureType or a bad form is malformed")
  void malformed() {
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("{\"MessageId\":\"x\"}")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("Type");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer(
        "{\"Type\":\"Failed\",\"FailureType\":\"Sometimes\",\"DateTime\":\"2026-11-23T17:20:06Z\"}")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("FailureType");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("garbage")))
        .isInstanceOf(MalformedWebhookException.class);
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("{\"Type\":\"Delivered\"")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("JSON");
  }
}
