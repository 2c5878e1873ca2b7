package dev.esprouter.common;

import java.util.Locale;

/**
 * The life of one message to one recipient. Progress states only ever move forward (a late
 * {@code delivered} never overwrites {@code opened}); use {@link #canMoveTo} before any update.
 * Outcome states ({@code bounced}, {@code complained}, {@code failed}, ...) end the progress, except
 * that a bounce or complaint may still follow a delivery and is recorded.
 */
public enum MessageStatus {
  QUEUED(0, false),
  SENDING(1, false),
  SENT(2, false),
  DELIVERED(3, false),
  OPENED(4, false),
  CLICKED(5, false),
  BOUNCED(6, true),
  COMPLAINED(7, true),
  FAILED(6, true),
  SUPPRESSED(6, true),
  DEAD(6, true),
  CANCELLED(6, true);

  private final int rank;
  private final boolean outcome;

  MessageStatus(int rank, boolean outcome) {
    this.rank = rank;
    this.outcome = outcome;
  }

  /** Ordering used by forward-only updates; SQL mirrors it in {@code esp_status_rank()}. */
  public int rank() {
    return rank;
  }

  /** True for statuses that end the send (bounced, complained, failed, suppressed, dead). */
  public boolean isOutcome() {
    return outcome;
  }

  public boolean canMoveTo(MessageStatus next) {
    return next.rank > rank;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MessageStatus fromWire(String value) {
    if (value == null) {
      return null;
    }
    for (MessageStatus s : values()) {
      if (s.wire().equals(value)) {
        return s;
      }
    }
    return null;
  }
}
