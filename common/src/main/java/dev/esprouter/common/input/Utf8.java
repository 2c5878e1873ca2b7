package dev.esprouter.common.input;

import io.vertx.core.buffer.Buffer;

/**
 * Strict UTF-8, as Unicode defines well-formed byte sequences (Table 3-7): no overlong forms
 * ({@code C0 AF} is not a {@code /}), no encoded surrogates (CESU-8's {@code ED A0 80}), nothing
 * past U+10FFFF, no truncated sequence. Java's and Jackson's decoders are lenient about some of
 * these, and a lenient decode is how {@code C0 AF} once became a recipient's {@code /}.
 */
public final class Utf8 {

  private Utf8() {
  }

  /** The offset of the first byte that is not part of a well-formed sequence, or -1. */
  public static int firstMalformed(Buffer b) {
    return firstMalformed(b, 0, b.length());
  }

  public static int firstMalformed(byte[] b) {
    return firstMalformed(Buffer.buffer(b), 0, b.length);
  }

  static int firstMalformed(Buffer b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b.getByte(i) & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int lo = 0x80;
      int hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        if (c == 0xE0) {
          lo = 0xA0; // below: an overlong three-byte form
        } else if (c == 0xED) {
          hi = 0x9F; // above: a surrogate, U+D800..U+DFFF
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        if (c == 0xF0) {
          lo = 0x90; // below: an overlong four-byte form
        } else if (c == 0xF4) {
          hi = 0x8F; // above: past U+10FFFF
        }
      } else {
        return i; // a continuation byte out of place, C0/C1 (always overlong) or F5..FF
      }
      for (int k = 1; k <= n; k++) {
        if (i + k >= to) {
          return i;
        }
        int d = b.getByte(i + k) & 0xFF;
        int min = k == 1 ? lo : 0x80;
        int max = k == 1 ? hi : 0xBF;
        if (d < min || d > max) {
          return i;
        }
      }
      i += n + 1;
    }
    return -1;
  }
}
