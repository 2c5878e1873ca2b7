package dev.esprouter.sandbox.core;

import java.util.List;

/** How one provider turns outcomes into its own webhook requests: format, batching and signature. */
public interface WebhookFormat {

  /** Recipients rendered together; more than one where the provider batches events into one POST. */
  int recipientsPerPost();

  /** How many events an outcome becomes (zero where the provider reports nothing, e.g. Telegram deliveries). */
  int eventCount(Outcome outcome);

  /** The requests for these recipients, signed or authenticated the provider's way. */
  List<WebhookPost> render(List<Pending> batch, long nowMs);

  /** Whether the provider tries again after this answer (Postmark stops on 403). */
  default boolean retriesAfter(int status) {
    return true;
  }
}
