package dev.esprouter.router.routing;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;

/**
 * Where one recipient of a chunk ended up after routing: {@code SENT} (accepted by {@code provider}
 * with its id), {@code FAILED} (permanent answer from {@code provider}), or {@code RETRY} (no
 * healthy provider took it; goes to send.retry or, when out of attempts, the dead letters).
 */
public record Placement(Recipient recipient, Kind kind, ProviderName provider, String providerMessageId, String reason) {

  public enum Kind { SENT, FAILED, RETRY }
}
