package dev.esprouter.providers.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Content;
import dev.esprouter.common.Recipient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Telegram's formatted text: values escaped for their parse mode, templates checked before they are stored")
class TelegramTextTest {

  private final JsonObject data = new JsonObject().put("name", "<Ada & *Bob*_1.5!>");

  @Test
  @DisplayName("HTML values become entities; MarkdownV2 values get a backslash before each special character; "
      + "plain text goes as it is")
  void escaping() {
    assertThat(TelegramText.render("<b>Hi {{name}}</b>", data, TelegramText.HTML))
        .isEqualTo("<b>Hi &lt;Ada &amp; *Bob*_1.5!&gt;</b>");
    assertThat(TelegramText.render("*Hi* {{name}}", data, TelegramText.MARKDOWN_V2))
        .isEqualTo("*Hi* <Ada & \\*Bob\\*\\_1\\.5\\!\\>");
    assertThat(TelegramText.escapeMarkdownV2("a_b*c[d]e(f)g~h`i>j#k+l-m=n|o{p}q.r!s\\t"))
        .isEqualTo("a\\_b\\*c\\[d\\]e\\(f\\)g\\~h\\`i\\>j\\#k\\+l\\-m\\=n\\|o\\{p\\}q\\.r\\!s\\\\t");
    assertThat(TelegramText.render("Hi {{name}}", data, null)).isEqualTo("Hi <Ada & *Bob*_1.5!>");
  }

  @Test
  @DisplayName("the sendMessage body carries parse_mode only when the content has one")
  void body() {
    Recipient r = new Recipient("msg_1", "42", data, null);
    JsonObject html = TelegramSendDialect.body(new Content(null, null, null, null, "<i>{{name}}</i>", "t", "pt",
        TelegramText.HTML), r);
    assertThat(html.getString("parse_mode")).isEqualTo("HTML");
    assertThat(html.getLong("chat_id")).isEqualTo(42L);
    assertThat(html.getString("text")).isEqualTo("<i>&lt;Ada &amp; *Bob*_1.5!&gt;</i>");
    assertThat(TelegramSendDialect.body(new Content(null, null, null, null, "x", null, null), r).containsKey("parse_mode"))
        .isFalse();
  }

  @Test
  @DisplayName("a template's own markup is checked: unknown or unclosed HTML tags, a bare '&' or '<'; unescaped "
      + "MarkdownV2 characters and unpaired markers")
  void problems() {
    assertThat(TelegramText.problem("<b>Hi {{name}}</b> &amp; <a href=\"https://x.example\">link</a>",
        TelegramText.HTML)).isNull();
    assertThat(TelegramText.problem("<div>x</div>", TelegramText.HTML)).contains("<div> is not a tag Telegram supports");
    assertThat(TelegramText.problem("<b>x", TelegramText.HTML)).contains("never closed");
    assertThat(TelegramText.problem("a & b", TelegramText.HTML)).contains("&amp;");
    assertThat(TelegramText.problem("1 < 2", TelegramText.HTML)).contains("&lt;");
    assertThat(TelegramText.problem("*Hi* {{name}}\\! _see_ ||spoiler|| `a.b` [link](https://x.example/a)",
        TelegramText.MARKDOWN_V2)).isNull();
    assertThat(TelegramText.problem("Hi {{name}}!", TelegramText.MARKDOWN_V2)).contains("'!' at character");
    assertThat(TelegramText.problem("*bold", TelegramText.MARKDOWN_V2)).contains("do not pair up");
    assertThat(TelegramText.problem("> quoted\nnot > quoted", TelegramText.MARKDOWN_V2)).contains("'>'");
    assertThat(TelegramText.problem("anything <goes> & *here", null)).isNull();
    assertThat(TelegramText.parseMode("markdownv2")).isEqualTo("MarkdownV2");
    assertThat(TelegramText.parseMode("Markdown")).isNull();
  }
}
