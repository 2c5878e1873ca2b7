package dev.esprouter.common;

import java.util.Locale;

/** The normalized delivery events every provider's webhooks map to (PROVIDERS.md § 7). */
public enum EventType {
  /** Accepted by the receiving server / handset. */
  DELIVERED,
  /** Opened (email) or read (WhatsApp). */
  OPENED,
  CLICKED,
  /** Soft bounce or deferral: the provider will try again. */
  DEFERRED,
  /** Hard bounce: the address cannot receive mail. */
  BOUNCED,
  /** Spam complaint. */
  COMPLAINED,
  /** Dropped or failed by the provider without a delivery attempt, or a failed WhatsApp/Telegram send. */
  DROPPED,
  UNSUBSCRIBED,
  /** The person blocked the bot or number (Telegram my_chat_member kicked). */
  BLOCKED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EventType fromWire(String value) {
    if (value == null) {
      return null;
    }
    for (EventType t : values()) {
      if (t.wire().equals(value)) {
        return t;
      }
    }
    return null;
  }
}
