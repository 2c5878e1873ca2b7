package dev.esprouter.sandbox.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one provider saw and did since the last reset: requests, recipients accepted, duplicates
 * (a router message id accepted again — by this provider or any other of the sandbox: the set of ids is
 * shared, so a re-send that failed over to another provider is counted too), refusals, and webhook events sent, given up or never queued.
 * Router ids are kept as 64-bit hashes in a {@link LongHashSet}, so a million recipients cost tens
 * of megabytes, not hundreds.
 */
public final class ProviderRecord {

  final LongAdder requests = new LongAdder();
  final LongAdder messages = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder webhooksSent = new LongAdder();
  final LongAdder webhooksFailed = new LongAdder();
  final LongAdder webhooksDropped = new LongAdder();
  /** Shared by every provider of the sandbox: a recipient accepted by two providers is one duplicate. */
  final LongHashSet routerIds;
  public ProviderRecord(LongHashSet sharedRouterIds) {
    this.routerIds = sharedRouterIds;
  }

  /** Bumped by every reset, so webhook answers that arrive after it do not count in the new record. */
  volatile int generation;

  public long requests() {
    return requests.sum();
  }

  public long messages() {
    return messages.sum();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  public long rejected() {
    return rejected.sum();
  }

  public long webhooksSent() {
    return webhooksSent.sum();
  }

  public long webhooksFailed() {
    return webhooksFailed.sum();
  }

  public long webhooksDropped() {
    return webhooksDropped.sum();
  }

  void reset() {
    generation++;
    requests.reset();
    messages.reset();
    duplicates.reset();
    rejected.reset();
    webhooksSent.reset();
    webhooksFailed.reset();
    webhooksDropped.reset();
  }
}
