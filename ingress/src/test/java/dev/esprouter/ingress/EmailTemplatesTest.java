package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.Content;
import dev.esprouter.common.InlineTemplate;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Email templates: jte files rendered once into inline content with per-recipient placeholders")
class EmailTemplatesTest {

  @TempDir
  static Path dir;
  static EmailTemplates templates;

  /** A folder like an operator's: a template with translations, one without subject, broken ones, a layout. */
  @BeforeAll
  static void folder() throws IOException {
    write("welcome.subject.jte", "@param String name\nWelcome, ${name}\n");
    write("welcome.html.jte", "@param String name\n@param String order_id\n"
        + "@template.layout.frame(body = @`<p>Hi ${name}, order ${order_id} & more</p>`)\n");
    write("welcome.text.jte", "@param String name\nHi ${name}\n");
    write("pt/welcome.subject.jte", "@param String name\nBem-vindo, ${name}\n");
    write("pt/welcome.html.jte", "@param String name\n<p>Olá ${name}</p>\n");
    write("layout/frame.jte", "@param gg.jte.Content body\n<div class=\"frame\">${body}</div>\n");
    write("receipt.text.jte", "Thanks for your order.\n");
    write("broken.html.jte", "@param String name\n<p>${name</p>\n");
    write("listy.html.jte", "@param java.util.List<String> items\n@for(String i : items)${i}@endfor\n");
    write("notes.txt", "not a template");
    templates = EmailTemplates.load(dir);
  }

  private static void write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static Content ask(String template, String locale, String subject) {
    return new Content("Shop <noreply@shop.example>", null, subject, null, null, template, locale);
  }

  @Test
  @DisplayName("params become {{placeholders}} that the router fills per recipient, HTML-escaped in html; layouts work")
  void rendersPlaceholders() {
    Content c = templates.expand(ask("welcome", null, null));
    assertThat(c.subject()).isEqualTo("Welcome, {{name}}");
    assertThat(c.html()).isEqualTo("<div class=\"frame\"><p>Hi {{name}}, order {{order_id}} & more</p></div>\n\n");
    assertThat(c.text()).isEqualTo("Hi {{name}}\n");
    assertThat(c.template()).isEqualTo("welcome");
    assertThat(InlineTemplate.render(c.html(), new JsonObject().put("name", "<Ann>").put("order_id", "A-17"), true))
        .isEqualTo("<div class=\"frame\"><p>Hi &lt;Ann&gt;, order A-17 & more</p></div>\n\n");
  }

  @Test
  @DisplayName("a locale picks its folder, pt-BR falls back to pt, an unknown one to the default")
  void locales() {
    assertThat(templates.expand(ask("welcome", "pt-BR", null)).html()).isEqualTo("<p>Olá {{name}}</p>\n");
    assertThat(templates.expand(ask("welcome", "pt", null)).subject()).isEqualTo("Bem-vindo, {{name}}");
    assertThat(templates.expand(ask("welcome", "de", null)).subject()).isEqualTo("Welcome, {{name}}");
  }

  @Test
  @DisplayName("the request's subject wins; a template without one needs it from the request")
  void subjects() {
    assertThat(templates.expand(ask("welcome", null, "Hello {{name}}")).subject()).isEqualTo("Hello {{name}}");
    assertThat(templates.expand(ask("receipt", null, "Your receipt")).text()).isEqualTo("Thanks for your order.\n");
    assertThatThrownBy(() -> templates.expand(ask("receipt", null, null)))
        .isInstanceOfSatisfying(Invalid.class, e -> {
          assertThat(e.error().code()).isEqualTo("missing_field");
          assertThat(e.error().message()).startsWith("subject:");
        });
  }

  @Test
  @DisplayName("an unknown template, one that does not compile, or a non-String param is a 400 that says why")
  void refused() {
    assertThatThrownBy(() -> templates.expand(ask("nope", null, null)))
        .isInstanceOfSatisfying(Invalid.class, e -> {
          assertThat(e.error().code()).isEqualTo("unknown_template");
          assertThat(e.error().message()).contains("no email template named 'nope'");
        });
    assertThatThrownBy(() -> templates.expand(ask("broken", null, "s")))
        .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.error().message()).contains("does not compile"));
    assertThatThrownBy(() -> templates.expand(ask("listy", null, "s")))
        .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.error().message()).contains("must be String"));
    assertThat(templates.broken()).containsOnlyKeys("/broken", "/listy");
  }

  @Test
  @DisplayName("inline html or text together with a template is refused")
  void notBoth() {
    Content both = new Content("Shop <noreply@shop.example>", null, null, "<p>x</p>", null, "welcome", null);
    assertThatThrownBy(() -> templates.expand(both))
        .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.error().code()).isEqualTo("invalid_field"));
  }

  @Test
  @DisplayName("content without a template passes unchanged; an absent folder has no templates")
  void inlineAndAbsent() {
    Content inline = new Content("a@b.example", null, "s", "<p>h</p>", null, null, null);
    assertThat(templates.expand(inline)).isSameAs(inline);
    assertThat(EmailTemplates.load(dir.resolve("missing")).size()).isZero();
  }

  @Test
  @DisplayName("an edited file is picked up by the next check, without a restart")
  void reloads(@TempDir Path own) throws Exception {
    Files.writeString(own.resolve("hello.text.jte"), "@param String name\nHello ${name}\n");
    Vertx vertx = Vertx.vertx();
    try {
      TemplateFolder folder = new TemplateFolder(own);
      folder.reloadIfChanged(vertx).await();
      assertThat(folder.current().expand(ask("hello", null, "s")).text()).isEqualTo("Hello {{name}}\n");
      EmailTemplates before = folder.current();
      folder.reloadIfChanged(vertx).await();
      assertThat(folder.current()).as("unchanged folder, no reload").isSameAs(before);
      Path f = own.resolve("hello.text.jte");
      Files.writeString(f, "@param String name\nHowdy ${name}\n");
      Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
      folder.reloadIfChanged(vertx).await();
      assertThat(folder.current().expand(ask("hello", null, "s")).text()).isEqualTo("Howdy {{name}}\n");
    } finally {
      vertx.close().await();
    }
  }
}
