package dev.esprouter.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Known ESP_* variables: the list, the docs and the typo warning")
class KnownVariablesTest {

  /** A full name, or a shorthand `_SUFFIX` standing for the previous full name with its last part replaced. */
  private static final Pattern NAME = Pattern.compile("`(ESP_[A-Z0-9_]*[A-Z0-9]|_[A-Z0-9_]*[A-Z0-9])`");

  /** Every ESP_ name in a Markdown file's tables and text (`ESP_PRIOR_WEIGHTS_EMAIL`, `_WHATSAPP`). */
  private static Set<String> documented(Path file) throws Exception {
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(file)) {
      String previous = null;
      Matcher m = NAME.matcher(line);
      while (m.find()) {
        String n = m.group(1);
        if (n.startsWith("ESP_")) {
          names.add(n);
          previous = n;
        } else if (previous != null) {
          names.add(previous.substring(0, previous.lastIndexOf('_')) + n);
        }
      }
    }
    return names;
  }

  @Test
  @DisplayName("every ESP_ name of README.md and docs/CONFIGURATION.md is known, and every known one is documented")
  void listMatchesDocs() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Set<String> config = documented(root.resolve("docs/CONFIGURATION.md"));
    Set<String> docs = new TreeSet<>(config);
    docs.addAll(documented(root.resolve("README.md")));
    assertThat(config).as("docs/CONFIGURATION.md names missing from KnownVariables")
        .allMatch(KnownVariables.NAMES::contains);
    assertThat(docs).as("README.md names missing from KnownVariables").allMatch(KnownVariables.NAMES::contains);
    assertThat(new TreeSet<>(KnownVariables.NAMES)).as("known names documented nowhere")
        .allMatch(docs::contains);
  }

  @Test
  @DisplayName("a typo is one warning naming the closest variable; far-off names get no guess; others pass")
  void warnings() {
    assertThat(KnownVariables.warnings(List.of("ESP_HTTP_PROT", "ESP_HTTP_PORT", "PATH", "SENDGRID_API_KEY")))
        .containsExactly("ESP_HTTP_PROT is not a variable esp-router reads (did you mean ESP_HTTP_PORT?); it is ignored");
    assertThat(KnownVariables.warnings(List.of("ESP_SANDBOX_PROT"))).singleElement().asString()
        .contains("did you mean ESP_SANDBOX_PORT?");
    assertThat(KnownVariables.warnings(List.of("ESP_ADMN_TOKEN"))).singleElement().asString()
        .contains("did you mean ESP_ADMIN_TOKEN?");
    assertThat(KnownVariables.warnings(List.of("ESP_SOMETHING_ELSE_ENTIRELY"))).singleElement().asString()
        .doesNotContain("did you mean");
  }
}
