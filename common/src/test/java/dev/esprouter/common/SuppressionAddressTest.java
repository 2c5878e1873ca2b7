package dev.esprouter.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SuppressionAddressTest {

  @Test
  @DisplayName("Emails are stored and looked up trimmed and in lower case; phone numbers and chat ids as given")
  void form() {
    assertThat(SuppressionAddress.of(Channel.EMAIL, " Bob@Example.COM ")).isEqualTo("bob@example.com");
    assertThat(SuppressionAddress.of(Channel.WHATSAPP, "+14155550123")).isEqualTo("+14155550123");
    assertThat(SuppressionAddress.of(Channel.TELEGRAM, "@ShopNews")).isEqualTo("@ShopNews");
    assertThat(SuppressionAddress.of(Channel.EMAIL, null)).isNull();
  }
}
