package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("An ASCII domain is judged without IDNA exactly as IDNA would judge it")
class AddressesTest {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  @ParameterizedTest(name = "[{index}] '{0}'")
  @ValueSource(strings = {"example.com", "EXAMPLE.COM", "mail.example.co.uk", "a.b", "x1.y2", "a-b.c-d.ef",
      "localhost", "", ".", "a.", ".a", "a..b", "-a.com", "a-.com", "a_b.com", "a b.com", "a.123", "123.com",
      "xn--bcher-kva.example", "xn--bcher-kva.xn--p1ai", "a.b-", "a.-b", "a@b.com", "ex!ample.com",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", "b\u00fccher.example",
      "\u4f8b\u3048.\u30c6\u30b9\u30c8", "b\u00fccher..example"})
  void sameAsIdna(String domain) {
    assertThat(Addresses.asciiDomain(domain)).isEqualTo(throughIdna(domain));
  }

  /** The rule as it was written first: every domain through IDN.toASCII, then label by label. */
  private static String throughIdna(String domain) {
    String ascii;
    try {
      ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (ascii.isEmpty() || ascii.length() > 253 || ascii.endsWith(".")) {
      return null;
    }
    String[] labels = ascii.split("\\.", -1);
    if (labels.length < 2) {
      return null;
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return null;
      }
    }
    return labels[labels.length - 1].chars().allMatch(Character::isDigit) ? null : ascii;
  }
}
