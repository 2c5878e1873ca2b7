package dev.esprouter.common;

import java.util.Locale;

/** The three send lanes; each is its own Kafka topic so the router can serve them 5:3:1. */
public enum Priority {
  HIGH(5), NORMAL(3), LOW(1);

  private final int share;

  Priority(int share) {
    this.share = share;
  }

  /** This lane's share of the router's attention (5:3:1). */
  public int share() {
    return share;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Priority fromWire(String value) {
    if (value == null) {
      return null;
    }
    for (Priority p : values()) {
      if (p.wire().equals(value)) {
        return p;
      }
    }
    return null;
  }
}
