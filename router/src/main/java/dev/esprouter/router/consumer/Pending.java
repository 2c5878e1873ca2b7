package dev.esprouter.router.consumer;

import dev.esprouter.common.Priority;
import dev.esprouter.common.SendChunk;
import io.vertx.kafka.client.common.TopicPartition;
import java.time.Instant;

/** A fetched send record waiting for (or in) routing; {@code due} is its {@code send_at} / retry {@code notBefore}. */
public record Pending(TopicPartition tp, long offset, SendChunk chunk, Instant due) {

  public Priority lane() {
    return chunk.priority();
  }

  public String tenant() {
    return chunk.tenantId() == null ? "" : chunk.tenantId();
  }

  public boolean dueBy(Instant now) {
    return due == null || !due.isAfter(now);
  }

  static Instant dueOf(SendChunk c) {
    Instant a = c.sendAt();
    Instant b = c.notBefore();
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
