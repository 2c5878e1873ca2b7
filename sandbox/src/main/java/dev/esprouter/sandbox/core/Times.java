package dev.esprouter.sandbox.core;

import java.time.Instant;

/** Event times the way the providers write them. */
public final class Times {

  private Times() {
  }

  /** ISO 8601 in UTC (Postmark, SocketLabs). */
  public static String iso(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }
}
