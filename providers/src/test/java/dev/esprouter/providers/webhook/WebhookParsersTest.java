package dev.esprouter.providers.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.ProviderName;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WebhookParsersTest {

  @Test
  @DisplayName("There is exactly one parser per provider, found by its name")
  void onePerProvider() {
    assertThat(WebhookParsers.all()).extracting(WebhookParser::provider).containsExactly(ProviderName.values());
    for (ProviderName p : ProviderName.values()) {
      assertThat(WebhookParsers.forProvider(p).provider()).isEqualTo(p);
    }
  }

  @Test
  @DisplayName("Enhanced status codes that blame the address are recipient-side; sender and policy codes are not")
  void smtpStatus() {
    assertThat(RecipientSide.smtpStatusBlamesRecipient("5.1.1")).isTrue();
    assertThat(RecipientSide.smtpStatusBlamesRecipient("5.1.10 null MX")).isTrue();
    assertThat(RecipientSide.smtpStatusBlamesRecipient("5.2.1")).isTrue();
    assertThat(RecipientSide.smtpStatusBlamesRecipient("5.1.7")).isFalse();
    assertThat(RecipientSide.smtpStatusBlamesRecipient("5.7.1")).isFalse();
    assertThat(RecipientSide.smtpStatusBlamesRecipient("4.2.2")).isFalse();
    assertThat(RecipientSide.smtpStatusBlamesRecipient(null)).isFalse();
  }
}
