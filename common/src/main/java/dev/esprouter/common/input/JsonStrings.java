package dev.esprouter.common.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Finds the first JSON string (key or value) that PostgreSQL could not store: one holding a NUL
 * (text and jsonb refuse it, which once made a 202-accepted message loop in the router forever) or
 * a lone UTF-16 surrogate written as an escape ({@code "\ud800"}), which has no UTF-8 form.
 * The common case costs one byte scan; only a body that has a NUL byte, a {@code \u0000} escape or
 * a surrogate escape is parsed, to name the field.
 */
public final class JsonStrings {

  private static final JsonFactory LENIENT = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
      .build();

  /** A string that cannot be stored: where ({@code recipients[3].metadata.k}) and why. */
  public record Problem(String field, String reason) {
  }

  private JsonStrings() {
  }

  /** The first unstorable string of {@code body}, or null (also for JSON that does not parse). */
  public static Problem firstUnstorable(Buffer body) {
    return suspicious(body) ? locate(body) : null;
  }

  private static boolean suspicious(Buffer b) {
    int n = b.length();
    for (int i = 0; i < n; i++) {
      byte c = b.getByte(i);
      if (c == 0) {
        return true;
      }
      if (c == '\\' && i + 1 < n) {
        if (b.getByte(i + 1) == 'u' && i + 5 < n) {
          int code = hex4(b, i + 2);
          if (code == 0 || (code >= 0xD800 && code <= 0xDFFF)) {
            return true;
          }
        }
        i++; // the escaped character, so "\\u0000" (a backslash, then text) is not taken for a NUL
      }
    }
    return false;
  }

  private static int hex4(Buffer b, int at) {
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(b.getByte(at + k), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  private static Problem locate(Buffer body) {
    try (JsonParser p = LENIENT.createParser(body.getBytes())) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME) {
          String why = problem(p.currentName());
          if (why != null) {
            return new Problem(path(p.getParsingContext().getParent()), "a key " + why);
          }
        } else if (t == JsonToken.VALUE_STRING) {
          String why = problem(p.getText());
          if (why != null) {
            return new Problem(path(p.getParsingContext()), why);
          }
        }
      }
      return null;
    } catch (IOException e) {
      return null; // not JSON: the handler's own parse answers that
    }
  }

  private static String problem(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return "holds a NUL character";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return "holds a lone UTF-16 surrogate";
        }
      } else if (Character.isLowSurrogate(c)) {
        return "holds a lone UTF-16 surrogate";
      }
    }
    return null;
  }

  /** {@code recipients[3].metadata.k} for the value the context is at; "(body)" for the root. */
  static String path(JsonStreamContext ctx) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.inObject() && c.getCurrentName() != null) {
        parts.push("." + printable(c.getCurrentName()));
      }
    }
    StringBuilder sb = new StringBuilder();
    parts.forEach(sb::append);
    if (sb.isEmpty()) {
      return "(body)";
    }
    return sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
  }

  private static String printable(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    name.codePoints().forEach(cp -> {
      if (cp < 0x20 || Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
        sb.append(String.format("\\u%04x", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }
}
