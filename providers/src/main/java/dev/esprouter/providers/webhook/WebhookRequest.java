package dev.esprouter.providers.webhook;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/**
 * What a verifier may look at: the request headers (case-insensitive), the body exactly as received
 * and when it was received (the clock of replay windows).
 */
public record WebhookRequest(MultiMap headers, Buffer body, Instant receivedAt) {

  public String header(String name) {
    return headers.get(name);
  }
}
