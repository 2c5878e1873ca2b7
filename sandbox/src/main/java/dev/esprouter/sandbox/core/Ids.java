package dev.esprouter.sandbox.core;

import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The provider-side ids a provider hands out (X-Message-Id, MessageID, transmission ids, wamids,
 * Telegram message ids), drawn from a counter mixed with the seed: the same seed and the same
 * request order give the same ids.
 */
public final class Ids {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private final long seed;
  private final AtomicLong counter = new AtomicLong();

  public Ids(long seed) {
    this.seed = seed;
  }

  public long nextLong() {
    return Hashing.mix(seed + 0x9e3779b97f4a7c15L * counter.incrementAndGet());
  }

  /** A small increasing number (Telegram message ids, update ids). */
  public long nextSequence() {
    return counter.incrementAndGet();
  }

  /** 16 random bytes in base64url, 22 characters: the shape of SendGrid's X-Message-Id. */
  public String base64Id() {
    byte[] b = new byte[16];
    long a = nextLong();
    long c = Hashing.mix(a ^ seed);
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (a >>> (8 * i));
      b[8 + i] = (byte) (c >>> (8 * i));
    }
    return URL.encodeToString(b);
  }

  public String uuid() {
    long a = nextLong();
    return new UUID((a & ~0xf000L) | 0x4000L, (Hashing.mix(a ^ seed) & 0x3fffffffffffffffL) | 0x8000000000000000L)
        .toString();
  }

  /** A decimal id of 17 digits, the shape of SparkPost's transmission ids. */
  public String digits17() {
    return Long.toString(10_000_000_000_000_000L + Math.floorMod(nextLong(), 89_999_999_999_999_999L));
  }
}
