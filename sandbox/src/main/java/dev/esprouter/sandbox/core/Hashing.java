package dev.esprouter.sandbox.core;

/** 64-bit hashing and mixing for duplicate checks, seeded draws and seeded ids. */
public final class Hashing {

  private Hashing() {
  }

  /** FNV-1a over the UTF-16 units, finished with a strong mix so similar ids spread apart. */
  public static long hash64(CharSequence s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** MurmurHash3's fmix64: a bijection that avalanches every input bit. */
  public static long mix(long z) {
    z ^= z >>> 33;
    z *= 0xff51afd7ed558ccdL;
    z ^= z >>> 33;
    z *= 0xc4ceb9fe1a85ec53L;
    z ^= z >>> 33;
    return z;
  }

  /** A uniform double in [0, 1) from 64 bits. */
  public static double unit(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }
}
