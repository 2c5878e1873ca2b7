package dev.esprouter.providers.meta;

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

class MetaEventParserTest {

  private final MetaEventParser parser = new MetaEventParser();

  @Test
  @DisplayName("Every WhatsApp status of the normalized table maps to its event; read counts as opened (golden)")
  void golden() {
    List<DeliveryEvent> events = parser.parse(Golden.fixture("meta-notification.json"));

    assertThat(events).extracting(DeliveryEvent::type, DeliveryEvent::recipientSide, DeliveryEvent::messageId)
        .containsExactly(
            tuple(DELIVERED, false, "msg_01KAQZJ0000000000000000E01"),
            tuple(OPENED, false, "msg_01KAQZJ0000000000000000E01"),
            tuple(BOUNCED, true, "msg_01KAQZJ0000000000000000E02"),
            tuple(UNSUBSCRIBED, false, "msg_01KAQZJ0000000000000000E03"),
            tuple(DROPPED, false, "msg_01KAQZJ0000000000000000E04"),
            tuple(DELIVERED, false, null));
    assertThat(events.get(0).providerMessageId()).isEqualTo("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MDEA");
    assertThat(events.get(0).dedupeKey()).isEqualTo("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MDEA:delivered");
    assertThat(events.get(2).reason()).isEqualTo("131026: Message undeliverable");
    Golden.assertMatches(events, "meta-notification.json");
  }

  @Test
  @DisplayName("A notification of inbound messages only gives no event")
  void inboundOnly() {
    assertThat(parser.parse(Buffer.buffer("""
        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
         "messages":[{"from":"16505550101","id":"wamid.x","timestamp":"1763920950","type":"text"}]}}]}]}"""))).isEmpty();
  }

  @Test
  @DisplayName("A message_template_status_update (even one whose value looks like a status list) gives no event "
      + "and is not malformed")
  void templateStatusUpdate() {
    String update = "{\"entry\":[{\"id\":\"102290129340398\",\"time\":1751247548,\"changes\":[{\"value\":"
        + "{\"event\":\"PAUSED\",\"message_template_id\":7,\"message_template_name\":\"promo\","
        + "\"message_template_language\":\"en_US\",\"reason\":\"NONE\",\"statuses\":[{\"odd\":true}]},"
        + "\"field\":\"message_template_status_update\"}]}],\"object\":\"whatsapp_business_account\"}";
    assertThat(parser.parse(Buffer.buffer(update))).isEmpty();
  }

  @Test
  @DisplayName("A Meta body without entry, or a status without id or timestamp, is malformed")
  void malformed() {
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("{\"object\":\"whatsapp_business_account\"}")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("entry");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("""
        {"entry":[{"changes":[{"value":{"statuses":[{"status":"delivered","timestamp":"1"}]}}]}]}""")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("statuses[0].id");
    assertThatThrownBy(() -> parser.parse(Buffer.buffer("""
        {"entry":[{"changes":[{"value":{"statuses":[{"id":"w","status":"delivered"}]}}]}]}""")))
        .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("timestamp");
  }
}
