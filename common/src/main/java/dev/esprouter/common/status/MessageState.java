package dev.esprouter.common.status;

import dev.esprouter.common.MessageStatus;
import java.time.Instant;

/**
 * Where one message stands, as the status writer derived it from the router's facts and the
 * providers' events. A message the router has not reported on yet has no state: it is {@code queued}.
 */
public record MessageState(String id, MessageStatus status, String provider, String providerMessageId, int attempts,
                           String lastError, Instant sentAt, Instant updatedAt) {
}
