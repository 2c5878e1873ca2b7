package dev.esprouter.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Language tags: BCP 47 and Meta's codes read into one canonical form")
class LanguageTest {

  @Test
  @DisplayName("pt-BR, pt_BR, PT_br all become pt-BR; en_US en-US; scripts are title-case; Meta gets underscores")
  void canonical() {
    assertThat(Language.canonical("pt-BR")).isEqualTo("pt-BR");
    assertThat(Language.canonical("pt_BR")).isEqualTo("pt-BR");
    assertThat(Language.canonical("PT_br")).isEqualTo("pt-BR");
    assertThat(Language.canonical("en_US")).isEqualTo("en-US");
    assertThat(Language.canonical("en")).isEqualTo("en");
    assertThat(Language.canonical("zh-hant-tw")).isEqualTo("zh-Hant-TW");
    assertThat(Language.canonical("es-419")).isEqualTo("es-419");
    assertThat(Language.canonical("fil")).isEqualTo("fil");
    assertThat(Language.toMeta("pt-BR")).isEqualTo("pt_BR");
    assertThat(Language.toMeta("en")).isEqualTo("en");
    assertThat(Language.toMeta("zh-Hant-TW")).isEqualTo("zh_TW");
    assertThat(Language.toMeta(null)).isNull();
  }

  @Test
  @DisplayName("ill-formed tags, unknown languages and unknown regions are refused with a reason")
  void refused() {
    assertThatThrownBy(() -> Language.canonical("english")).hasMessageContaining("is not a language tag");
    assertThatThrownBy(() -> Language.canonical("xx")).hasMessageContaining("'xx' is not a known language");
    assertThatThrownBy(() -> Language.canonical("pt-XX")).hasMessageContaining("'XX' is not a known region");
    assertThatThrownBy(() -> Language.canonical("en-US-x-private")).hasMessageContaining("is not a language tag");
    assertThatThrownBy(() -> Language.canonical(" ")).hasMessageContaining("is empty");
  }

  @Test
  @DisplayName("fallbacks: the request and its truncations, then the tenant default and its truncations, no repeats")
  void fallbacks() {
    assertThat(Language.fallbacks("pt-BR", "en-US")).isEqualTo(List.of("pt-BR", "pt", "en-US", "en"));
    assertThat(Language.fallbacks("zh-Hant-TW", null)).isEqualTo(List.of("zh-Hant-TW", "zh-Hant", "zh"));
    assertThat(Language.fallbacks(null, "pt")).isEqualTo(List.of("pt"));
    assertThat(Language.fallbacks("pt", "pt-BR")).isEqualTo(List.of("pt", "pt-BR"));
  }
}
