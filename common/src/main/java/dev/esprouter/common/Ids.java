package dev.esprouter.common;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered ids: a prefix ({@code msg_}, {@code bat_}, ...), 48 bits of milliseconds and 80 random
 * bits in Crockford base32 (ULID layout). Ordered ids keep B-tree inserts local and give cursor
 * pagination a stable order for free.
 */
public final class Ids {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private Ids() {
  }

  public static String message() {
    return next("msg_");
  }

  public static String batch() {
    return next("bat_");
  }

  public static String tenant() {
    return next("ten_");
  }

  public static String apiKey() {
    return next("key_");
  }

  public static String campaign() {
    return next("cmp_");
  }

  /** A new id with the given prefix. Thread-safe and allocation-light (one char array). */
  public static String next(String prefix) {
    long time = System.currentTimeMillis();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = r.nextLong() & 0xFFFFL; // 16 random bits
    long lo = r.nextLong(); // 64 random bits
    char[] out = new char[prefix.length() + 26];
    prefix.getChars(0, prefix.length(), out, 0);
    int p = prefix.length();
    // 10 chars of time (50 bits, top 2 zero)
    for (int i = 9; i >= 0; i--) {
      out[p + i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    // 16 chars of randomness (80 bits): 60 bits of lo, then its last 4 bits with the 16 of hi
    long bits = lo;
    for (int i = 25; i >= 14; i--) {
      out[p + i] = ALPHABET[(int) (bits & 31)];
      bits >>>= 5;
    }
    long rest = (hi << 4) | bits;
    for (int i = 13; i >= 10; i--) {
      out[p + i] = ALPHABET[(int) (rest & 31)];
      rest >>>= 5;
    }
    return new String(out);
  }

}
