package dev.esprouter.analytics.weights;

import io.vertx.core.json.JsonObject;

/**
 * The counters of {@code provider_stats} summed over some buckets. {@code bounced} and
 * {@code failed} are the provider-side failures that count against a provider;
 * {@code bouncedRecipient} and {@code failedRecipient} are recipient-side ones (bad address, blocked
 * bot) that any provider would have had, kept for display but never scored (see
 * {@link dev.esprouter.analytics.events.FailureClassifier}).
 */
public record StatCounts(long sent, long delivered, long opened, long clicked, long deferred, long bounced,
                         long bouncedRecipient, long complained, long failed, long failedRecipient) {

  public static final StatCounts ZERO = new StatCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public StatCounts plus(StatCounts o) {
    return new StatCounts(sent + o.sent, delivered + o.delivered, opened + o.opened, clicked + o.clicked,
        deferred + o.deferred, bounced + o.bounced, bouncedRecipient + o.bouncedRecipient, complained + o.complained,
        failed + o.failed, failedRecipient + o.failedRecipient);
  }

  /** These counters less {@code o}'s, none below 0 (what arrived after {@code o} was read of the same buckets). */
  public StatCounts minus(StatCounts o) {
    return new StatCounts(Math.max(0, sent - o.sent), Math.max(0, delivered - o.delivered),
        Math.max(0, opened - o.opened), Math.max(0, clicked - o.clicked), Math.max(0, deferred - o.deferred),
        Math.max(0, bounced - o.bounced), Math.max(0, bouncedRecipient - o.bouncedRecipient),
        Math.max(0, complained - o.complained), Math.max(0, failed - o.failed),
        Math.max(0, failedRecipient - o.failedRecipient));
  }

  /** Sends whose outcome the provider is accountable for: delivered or failed on the provider's side. */
  public long resolved() {
    return delivered + bounced + failed;
  }

  /** Provider-side failures: hard bounces for provider reasons and drops. */
  public long providerFailures() {
    return bounced + failed;
  }

  public boolean isEmpty() {
    return equals(ZERO);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("sent", sent)
        .put("delivered", delivered)
        .put("opened", opened)
        .put("clicked", clicked)
        .put("deferred", deferred)
        .put("bounced", bounced)
        .put("bounced_recipient", bouncedRecipient)
        .put("complained", complained)
        .put("failed", failed)
        .put("failed_recipient", failedRecipient);
  }
}
