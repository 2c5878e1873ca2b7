package dev.esprouter.router.provider;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Spaces calls to the same chat (Telegram: about one message a second per chat, PROVIDERS.md § 6.3).
 * Confined to one event loop. Entries older than the spacing are dropped when the map grows, so
 * it holds only chats written to within the last interval.
 */
public final class ChatPacer {

  private static final int PRUNE_AT = 10_000;

  private final Vertx vertx;
  private final long spacingNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Long> nextAllowed = new HashMap<>();

  public ChatPacer(Vertx vertx, long spacingMs, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.spacingNanos = spacingMs * 1_000_000L;
    this.nanoClock = nanoClock;
  }

  /** Completes when a message to {@code chat} may go; reserves that slot. */
  public Future<Void> reserve(String chat) {
    long now = nanoClock.getAsLong();
    if (nextAllowed.size() >= PRUNE_AT) {
      nextAllowed.values().removeIf(t -> t <= now);
    }
    long slot = Math.max(now, nextAllowed.getOrDefault(chat, now));
    nextAllowed.put(chat, slot + spacingNanos);
    long waitMs = (slot - now) / 1_000_000;
    return waitMs <= 0 ? Future.succeededFuture() : vertx.timer(waitMs).mapEmpty();
  }
}
