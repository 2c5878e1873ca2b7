package dev.esprouter.providers.send;

import dev.esprouter.common.Recipient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The classified answer to one {@link ProviderCall}: how the call as a whole went (what the breaker
 * and the limiter react to), the provider's retry signal when it gave one, and one outcome per
 * recipient (partial results such as Postmark batch elements differ per recipient).
 *
 * @param call       the outcome of the call itself: ACCEPTED when the provider answered normally
 *                   (even if some recipients were rejected), otherwise the failure class
 * @param retryAfter how long the provider asked us to wait, or null
 */
public record CallResult(SendOutcome call, Duration retryAfter, List<RecipientOutcome> recipients, String reason) {

  /** Every recipient of the call gets the same outcome (whole-call answers). */
  public static CallResult all(List<Recipient> recipients, SendOutcome outcome, Duration retryAfter, String reason) {
    List<RecipientOutcome> out = new ArrayList<>(recipients.size());
    for (Recipient r : recipients) {
      out.add(RecipientOutcome.of(r, outcome, reason));
    }
    SendOutcome callOutcome = outcome == SendOutcome.REJECTED ? SendOutcome.ACCEPTED : outcome;
    return new CallResult(callOutcome, retryAfter, out, reason);
  }

  /** Every recipient accepted, all under the same provider id (SendGrid X-Message-Id, SparkPost transmission id). */
  public static CallResult accepted(List<Recipient> recipients, String providerMessageId) {
    List<RecipientOutcome> out = new ArrayList<>(recipients.size());
    for (Recipient r : recipients) {
      out.add(RecipientOutcome.accepted(r, providerMessageId));
    }
    return new CallResult(SendOutcome.ACCEPTED, null, out, null);
  }

  /** A call that never got an answer (connection refused, timeout): transient for everyone. */
  public static CallResult noAnswer(List<Recipient> recipients, Throwable cause) {
    String reason = "no answer: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    return all(recipients, SendOutcome.TRANSIENT, null, reason);
  }
}
