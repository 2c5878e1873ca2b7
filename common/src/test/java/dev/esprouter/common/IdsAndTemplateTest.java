package dev.esprouter.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IdsAndTemplateTest {

  @Test
  @DisplayName("Ids carry their prefix, 26 base32 characters, are unique and sort by creation time")
  void ids() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = Ids.message();
      assertThat(seen.add(id)).isTrue();
    }
    String a = Ids.batch();
    Thread.sleep(2);
    String b = Ids.batch();
    assertThat(a).matches("bat_[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(a.compareTo(b)).isNegative();
  }

  @Test
  @DisplayName("Placeholders are filled from data, HTML-escaped in html, empty when missing")
  void template() {
    JsonObject data = new JsonObject().put("name", "<Bob & \"Al\">").put("n", 3);
    assertThat(InlineTemplate.render("Hi {{name}}, {{ n }} items{{missing}}", data, false))
        .isEqualTo("Hi <Bob & \"Al\">, 3 items");
    assertThat(InlineTemplate.render("<p>{{name}}</p>", data, true))
        .isEqualTo("<p>&lt;Bob &amp; &quot;Al&quot;&gt;</p>");
    assertThat(InlineTemplate.render("no placeholders", data, true)).isEqualTo("no placeholders");
    assertThat(InlineTemplate.render("unclosed {{name", data, false)).isEqualTo("unclosed {{name");
    assertThat(InlineTemplate.placeholders("{{a}} and {{ b }} and {{a}}")).containsExactly("a", "b");
  }
}
