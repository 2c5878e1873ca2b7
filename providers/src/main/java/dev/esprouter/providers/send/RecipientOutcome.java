package dev.esprouter.providers.send;

import dev.esprouter.common.Recipient;

/** The provider's answer for one recipient: outcome, the provider's own id when accepted, the reason otherwise. */
public record RecipientOutcome(Recipient recipient, SendOutcome outcome, String providerMessageId, String reason) {

  public static RecipientOutcome accepted(Recipient r, String providerMessageId) {
    return new RecipientOutcome(r, SendOutcome.ACCEPTED, providerMessageId, null);
  }

  public static RecipientOutcome of(Recipient r, SendOutcome outcome, String reason) {
    return new RecipientOutcome(r, outcome, null, reason);
  }
}
