package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import java.util.Map;

/**
 * A snapshot of the record ({@code GET /sandbox/stats}) for Java callers: per provider what it
 * received, accepted and refused, and what became of its webhook events.
 */
public record SandboxStats(Map<ProviderName, Provider> providers) {

  public Provider of(ProviderName p) {
    return providers.get(p);
  }

  /**
   * Recipients accepted more than once, by the same provider or by different ones (a router message
   * id is one recipient): what "sent twice" means to the person receiving it.
   */
  public long duplicates() {
    return providers.values().stream().mapToLong(Provider::duplicates).sum();
  }

  /**
   * One provider's record.
   *
   * @param requests        requests received under its prefix (every one, faults included)
   * @param messages        recipients accepted
   * @param duplicates      recipients accepted here whose router message id had been accepted before, by
   *                        this provider or any other
   * @param rejected        requests refused (auth, body, limits, faults) plus batch elements and
   *                        recipients refused inside requests that were otherwise accepted
   * @param webhooksSent    webhook events the receiver answered with 2xx
   * @param webhooksPending events queued or in flight
   * @param webhooksFailed  events given up after the last retry
   * @param webhooksDropped events never queued because the provider's queue was full
   * @param messagesByGroup recipients accepted by the router's domain group of their address (every group
   *                        present; WhatsApp's and Telegram's are all {@code other})
   */
  public record Provider(long requests, long messages, long duplicates, long rejected, long webhooksSent,
                         long webhooksPending, long webhooksFailed, long webhooksDropped,
                         Map<DomainGroup, Long> messagesByGroup) {

    /** Recipients accepted in domain group {@code g}. */
    public long messages(DomainGroup g) {
      return messagesByGroup.getOrDefault(g, 0L);
    }
  }
}
