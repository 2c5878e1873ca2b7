package dev.esprouter.analytics.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.analytics.events.FailureClassifier.Side;
import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.providers.postmark.PostmarkEventParser;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

  static DeliveryEvent e(EventType type, String reason, boolean recipientSide) {
    return new DeliveryEvent(ProviderName.SPARKPOST, type, "m", null, null, Instant.EPOCH, "k", reason, recipientSide,
        null);
  }

  @Test
  @DisplayName("The parser's recipient-side flag wins for bounces and drops")
  void parserFlag() {
    assertThat(FailureClassifier.classify(e(EventType.BOUNCED, "whatever", true))).isEqualTo(Side.RECIPIENT);
    assertThat(FailureClassifier.classify(e(EventType.DROPPED, null, true))).isEqualTo(Side.RECIPIENT);
  }

  @Test
  @DisplayName("Unflagged reasons that name the address are recipient-side; reputation and policy are provider-side")
  void reasonTable() {
    assertThat(FailureClassifier.classify(e(EventType.BOUNCED, "550 5.1.1 User unknown", false)))
        .isEqualTo(Side.RECIPIENT);
    assertThat(FailureClassifier.classify(e(EventType.DROPPED, "Bad Request: chat not found", false)))
        .isEqualTo(Side.RECIPIENT);
    assertThat(FailureClassifier.classify(e(EventType.BOUNCED, "554 5.7.1 Service unavailable; client host blocked "
        + "using Spamhaus; user unknown", false))).isEqualTo(Side.PROVIDER);
    assertThat(FailureClassifier.classify(e(EventType.BOUNCED, null, false))).isEqualTo(Side.PROVIDER);
  }

  @Test
  @DisplayName("Complaints and deferrals always count against the provider; a blocked bot never does")
  void byType() {
    assertThat(FailureClassifier.classify(e(EventType.COMPLAINED, "user unknown", true))).isEqualTo(Side.PROVIDER);
    assertThat(FailureClassifier.classify(e(EventType.DEFERRED, null, true))).isEqualTo(Side.PROVIDER);
    assertThat(FailureClassifier.classify(e(EventType.BLOCKED, null, false))).isEqualTo(Side.RECIPIENT);
    assertThat(FailureClassifier.classify(e(EventType.DELIVERED, null, false))).isEqualTo(Side.NOT_A_FAILURE);
  }

  @Test
  @DisplayName("Hard bounces and complaints suppress the address; a provider-side block or a deferral does not")
  void suppression() {
    assertThat(FailureClassifier.suppressionReason(e(EventType.BOUNCED, null, false))).isEqualTo("hard_bounce");
    assertThat(FailureClassifier.suppressionReason(e(EventType.BOUNCED, "5.7.1 reputation", false))).isNull();
    assertThat(FailureClassifier.suppressionReason(e(EventType.BOUNCED, "5.7.1 reputation", true)))
        .isEqualTo("hard_bounce");
    assertThat(FailureClassifier.suppressionReason(e(EventType.COMPLAINED, null, false))).isEqualTo("complaint");
    assertThat(FailureClassifier.suppressionReason(e(EventType.DEFERRED, null, false))).isNull();
  }

  @Test
  @DisplayName("A Postmark ISP block counts against Postmark and leaves the address unsuppressed, whatever its SMTP text")
  void postmarkIspBlock() {
    JsonObject bounce = new JsonObject().put("RecordType", "Bounce").put("ID", 4323372036854775807L)
        .put("Type", "Blocked").put("TypeCode", 100006).put("Name", "ISP block")
        .put("Details", "smtp;452 4.2.2 Mailbox full").put("Email", "someone@example.com")
        .put("BouncedAt", "2026-11-30T09:00:00Z").put("Inactive", false).put("MessageID", "pm-1")
        .put("Metadata", new JsonObject().put("esp_message_id", "msg_1"));
    DeliveryEvent e = new PostmarkEventParser().parse(bounce.toBuffer()).get(0);
    assertThat(e.type()).isEqualTo(EventType.BOUNCED);
    assertThat(e.reason()).isEqualTo("Blocked (ISP block): smtp;452 4.2.2 Mailbox full");
    assertThat(FailureClassifier.classify(e)).isEqualTo(Side.PROVIDER);
    assertThat(FailureClassifier.suppressionReason(e)).isNull();
  }
}
