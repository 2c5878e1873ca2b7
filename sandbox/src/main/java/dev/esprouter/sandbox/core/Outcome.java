package dev.esprouter.sandbox.core;

/**
 * What happened to one accepted recipient, drawn from the provider's profile: its fate and, when it
 * was delivered, whether it was opened, clicked or reported as spam. Each provider renders it as its
 * own events (a SendGrid {@code bounce}, a Postmark {@code Bounce} record, a Meta {@code failed}
 * status, a Telegram user who blocks the bot).
 */
public record Outcome(Fate fate, boolean opened, boolean clicked, boolean complained) {

  public enum Fate {
    DELIVERED, SOFT_BOUNCE,
    /** A hard bounce because the address does not exist: the recipient's fault, whichever provider sends. */
    HARD_BOUNCE,
    DROPPED,
    /** A hard bounce because the receiver refused the provider (IP reputation, policy): the provider's fault. */
    BLOCKED
  }

  public boolean delivered() {
    return fate == Fate.DELIVERED;
  }

  /** Events of an email provider: the fate's event, then an open, a click and a complaint where drawn. */
  public int emailEvents() {
    return delivered() ? 1 + (opened ? 1 : 0) + (clicked ? 1 : 0) + (complained ? 1 : 0) : 1;
  }
}
