package dev.esprouter.common;

import java.util.Locale;

/** The three ways a message can reach a person. */
public enum Channel {
  EMAIL, WHATSAPP, TELEGRAM;

  /** The lower-case name used in JSON, config and Kafka headers. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; {@code null} when it names no channel. */
  public static Channel fromWire(String value) {
    if (value == null) {
      return null;
    }
    for (Channel c : values()) {
      if (c.wire().equals(value)) {
        return c;
      }
    }
    return null;
  }
}
