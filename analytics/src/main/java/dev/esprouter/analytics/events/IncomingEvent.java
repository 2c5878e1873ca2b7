package dev.esprouter.analytics.events;

import dev.esprouter.common.DeliveryEvent;
import java.time.Instant;

/** A parsed provider event with the time its webhook was received (the stats bucket it counts in). */
public record IncomingEvent(DeliveryEvent event, Instant receivedAt) {

  /** (provider, dedupe key): what makes two deliveries of the same provider event the same. */
  public String key() {
    return event.provider().wire() + '\u0000' + event.dedupeKey();
  }
}
