package dev.esprouter.analytics.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatsDeltaTest {

  static DeliveryEvent delivered(ProviderName p, String recipient) {
    return new DeliveryEvent(p, EventType.DELIVERED, "m-" + recipient, null, recipient, Instant.now(), "d-" + recipient,
        null, false, null);
  }

  @Test
  @DisplayName("Events count in their recipient's domain group; sent (no recipient) and other channels in 'other'")
  void groups() {
    StatsDelta d = new StatsDelta();
    Instant at = Instant.parse("2026-12-05T10:00:10Z");
    d.add(delivered(ProviderName.SENDGRID, "a@gmail.com"), at);
    d.add(delivered(ProviderName.SENDGRID, "b@Hotmail.com"), at);
    d.add(delivered(ProviderName.SENDGRID, "c@outlook.com"), at);
    d.add(delivered(ProviderName.SENDGRID, "d@shop.example"), at);
    d.add(delivered(ProviderName.TELEGRAM, "12345"), at);
    d.addSent(ProviderName.SENDGRID, at, 4);
    Tuple t = d.toTuple();
    String[] providers = (String[]) t.getValue(0);
    String[] groups = (String[]) t.getValue(12);
    Long[] delivered = (Long[]) t.getValue(2);
    Long[] sent = (Long[]) t.getValue(11);
    assertThat(providers).containsExactly("sendgrid", "sendgrid", "sendgrid", "telegram");
    assertThat(Arrays.asList(groups)).containsExactly("gmail", "microsoft", "other", "other");
    assertThat(delivered).containsExactly(1L, 2L, 1L, 1L);
    assertThat(sent).containsExactly(0L, 0L, 4L, 0L);
  }
}
