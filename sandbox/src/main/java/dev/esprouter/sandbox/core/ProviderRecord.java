package dev.esprouter.sandbox.core;

import dev.esprouter.common.routing.DomainGroup;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one provider saw and did since the last reset: requests, recipients accepted, duplicates
 * (a router message id accepted again — by this provider or any other of the sandbox: the set of ids is
 * shared, so a re-send that failed over to another provider is counted too), refusals, and webhook events sent, given up or never queued;
 * recipients are also counted by the router's domain group (all of WhatsApp's and Telegram's are {@code other}).
 * Router ids are kept as 64-bit hashes in a {@link LongHashSet}, so a million recipients cost tens
 * of megabytes, not hundreds.
 */
public final class ProviderRecord {

  private static final DomainGroup[] GROUPS = DomainGroup.values();

  final LongAdder requests = new LongAdder();
  final LongAdder messages = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder webhooksSent = new LongAdder();
  final LongAdder webhooksFailed = new LongAdder();
  final LongAdder webhooksDropped = new LongAdder();
  /** Recipients accepted by the router's domain group, indexed by {@link DomainGroup#ordinal()}. */
  private final LongAdder[] messagesByGroup = new LongAdder[GROUPS.length];
  /** Shared by every provider of the sandbox: a recipient accepted by two providers is one duplicate. */
  final LongHashSet routerIds;
  public ProviderRecord(LongHashSet sharedRouterIds) {
    this.routerIds = sharedRouterIds;
    for (int i = 0; i < messagesByGroup.length; i++) {
      messagesByGroup[i] = new LongAdder();
    }
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

  /** Recipients accepted in each domain group, every group present. */
  public Map<DomainGroup, Long> messagesByGroup() {
    Map<DomainGroup, Long> m = new EnumMap<>(DomainGroup.class);
    for (DomainGroup g : GROUPS) {
      m.put(g, messagesByGroup[g.ordinal()].sum());
    }
    return m;
  }

  /** Adds one request's recipients by group ({@code counts} indexed by {@link DomainGroup#ordinal()}). */
  void addByGroup(int[] counts) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        messagesByGroup[i].add(counts[i]);
      }
    }
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
    for (LongAdder a : messagesByGroup) {
      a.reset();
    }
  }
}
