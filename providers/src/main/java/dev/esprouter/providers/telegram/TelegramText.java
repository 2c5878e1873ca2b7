package dev.esprouter.providers.telegram;

import dev.esprouter.common.InlineTemplate;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Telegram's two formatted text modes ({@code parse_mode} of sendMessage, Bot API § Formatting
 * options): what a value substituted into a template must be escaped with, and a check of a
 * template's own markup before it is stored, so that a bad template is a 400 at registration and
 * not a "can't parse entities" for every recipient.
 *
 * <ul>
 *   <li>{@code HTML}: {@code <}, {@code >}, {@code &} (and quotes) become entities; the tags allowed
 *       are Telegram's list (b, strong, i, em, u, ins, s, strike, del, span class="tg-spoiler",
 *       tg-spoiler, a href, tg-emoji, code, pre, blockquote), properly nested.</li>
 *   <li>{@code MarkdownV2}: every one of {@code _*[]()~`>#+-=|{}.!} and {@code \} is preceded by a
 *       backslash (Telegram: "any character with code between 1 and 126 can be escaped anywhere");
 *       in a template, the characters that are never markup ({@code #+-=|{}.!}, {@code (} and {@code )}
 *       outside a link, and a {@code >} not
 *       opening a line) must already be escaped, and the markers must pair up.</li>
 * </ul>
 */
public final class TelegramText {

  public static final String HTML = "HTML";
  public static final String MARKDOWN_V2 = "MarkdownV2";

  private static final String MARKDOWN_SPECIAL = "_*[]()~`>#+-=|{}.!\\";
  private static final Set<String> TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
      "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote");
  private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>");
  private static final Pattern ENTITY = Pattern.compile("&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});");

  private static final InlineTemplate.Escaper MARKDOWN_ESCAPER = (value, out) -> {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (MARKDOWN_SPECIAL.indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
  };

  private TelegramText() {
  }

  /** The parse mode as Telegram spells it, or null when {@code mode} is not one of the two. */
  public static String parseMode(String mode) {
    if (mode == null) {
      return null;
    }
    return switch (mode.toLowerCase(Locale.ROOT)) {
      case "html" -> HTML;
      case "markdownv2" -> MARKDOWN_V2;
      default -> null;
    };
  }

  /** The text for one recipient: placeholders filled from {@code data}, escaped for {@code parseMode}. */
  public static String render(String text, JsonObject data, String parseMode) {
    if (HTML.equals(parseMode)) {
      return InlineTemplate.render(text, data, true);
    }
    if (MARKDOWN_V2.equals(parseMode)) {
      return InlineTemplate.render(text, data, MARKDOWN_ESCAPER);
    }
    return InlineTemplate.render(text, data, false);
  }

  /** {@code value} escaped for MarkdownV2. */
  public static String escapeMarkdownV2(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    MARKDOWN_ESCAPER.append(value, b);
    return b.toString();
  }

  /**
   * What is wrong with a template's own markup for {@code parseMode} (placeholders are left out of
   * the check: their values are escaped when sent), or null.
   */
  public static String problem(String text, String parseMode) {
    String fixed = InlineTemplate.render(text, null, false);
    if (HTML.equals(parseMode)) {
      return htmlProblem(fixed);
    }
    if (MARKDOWN_V2.equals(parseMode)) {
      return markdownProblem(fixed);
    }
    return null;
  }

  private static String htmlProblem(String s) {
    Deque<String> open = new ArrayDeque<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '<') {
        Matcher m = TAG.matcher(s);
        if (!m.find(i) || m.start() != i) {
          return "a '<' at character " + i + " is not a tag; write &lt;";
        }
        String name = m.group(2).toLowerCase(Locale.ROOT);
        if (!TAGS.contains(name)) {
          return "<" + name + "> is not a tag Telegram supports (b, strong, i, em, u, ins, s, strike, del, span, "
              + "tg-spoiler, a, tg-emoji, code, pre, blockquote)";
        }
        if (m.group(1).isEmpty()) {
          open.push(name);
        } else if (open.isEmpty() || !open.pop().equals(name)) {
          return "</" + name + "> at character " + i + " closes a tag that is not open";
        }
        i = m.end();
      } else if (c == '>') {
        return "a '>' at character " + i + " is not part of a tag; write &gt;";
      } else if (c == '&') {
        Matcher m = ENTITY.matcher(s);
        if (!m.find(i) || m.start() != i) {
          return "a '&' at character " + i + " does not start an entity; write &amp;";
        }
        i = m.end();
      } else {
        i++;
      }
    }
    return open.isEmpty() ? null : "<" + open.peek() + "> is never closed";
  }

  /** The index of the ')' closing a link URL that starts at {@code from}, or -1. */
  private static int linkEnd(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == ')') {
        return i;
      }
    }
    return -1;
  }

  private static String markdownProblem(String s) {
    int[] counts = new int[128];
    boolean lineStart = true;
    boolean inCode = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 >= s.length()) {
          return "the text ends with a lone '\\'";
        }
        i++;
        lineStart = false;
        continue;
      }
      if (c == '`') {
        inCode = !inCode;
      } else if (!inCode && c == '(' && i > 0 && s.charAt(i - 1) == ']') {
        // An inline link's URL: only ')' and '\\' are escaped in it.
        int close = linkEnd(s, i + 1);
        if (close < 0) {
          return "the link URL opened at character " + i + " is never closed with ')'";
        }
        i = close;
      } else if (!inCode) {
        if ("#+-=|{}.!()".indexOf(c) >= 0 && !(c == '|' && i + 1 < s.length() && s.charAt(i + 1) == '|')) {
          return "'" + c + "' at character " + i + " must be escaped as '\\" + c + "' in MarkdownV2";
        }
        if (c == '|') {
          i++;
          counts['|']++;
        } else if (c == '>' && !lineStart) {
          return "'>' at character " + i + " must be escaped as '\\>' in MarkdownV2 (it only opens a quote at a "
              + "line start)";
        } else if ("*_~[]".indexOf(c) >= 0) {
          counts[c]++;
        }
      }
      lineStart = c == '\n';
    }
    if (inCode) {
      return "a '`' is never closed";
    }
    for (char m : new char[] {'*', '_', '~', '|'}) {
      if (counts[m] % 2 != 0) {
        return "'" + (m == '|' ? "||" : String.valueOf(m)) + "' markers do not pair up (escape a literal one as '\\"
            + m + "')";
      }
    }
    if (counts['['] != counts[']']) {
      return "'[' and ']' do not pair up (escape literal ones with '\\')";
    }
    return null;
  }
}
