package dev.esprouter.campaigns;

import dev.esprouter.common.status.BatchCounts;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A campaign's totals from its own counters (recipients listed and fed) and the status writer's
 * counters of its messages ({@link BatchCounts}, keyed by the campaign id): a few small reads for a
 * campaign of any size, never a count over its messages. A status counts in every total it has passed
 * ({@code opened} is also {@code delivered} and {@code sent}).
 */
final class CampaignProgress {

  private CampaignProgress() {
  }

  /** Recipients whose message has settled (any status but queued/sending): the router is done with them. */
  static long settled(BatchCounts c) {
    return c.counted() - c.of("queued") - c.of("sending");
  }

  static JsonObject totals(CampaignRow row, BatchCounts c) {
    long delivered = c.of("delivered") + c.of("opened") + c.of("clicked");
    long sent = c.of("sent") + delivered + c.of("bounced") + c.of("complained");
    long notFed = Math.max(0, row.recipients() - row.fed());
    long cancelled = c.of("cancelled") + (row.state() == CampaignState.CANCELLED ? notFed : 0);
    long queued = Math.max(0, row.fed() - settled(c)) + (row.state().isFinal() ? 0 : notFed);
    return new JsonObject()
        .put("recipients", row.recipients())
        .put("queued", queued)
        .put("sent", sent)
        .put("delivered", delivered)
        .put("opened", c.of("opened") + c.of("clicked"))
        .put("clicked", c.of("clicked"))
        .put("bounced", c.of("bounced"))
        .put("complained", c.of("complained"))
        .put("failed", c.of("failed") + c.of("dead"))
        .put("cancelled", cancelled)
        .put("suppressed", row.suppressed() + c.of("suppressed"));
  }

  /** Totals, per provider, send rate since start and the time left at that rate. */
  static JsonObject of(CampaignRow row, BatchCounts c, OffsetDateTime now) {
    JsonObject totals = totals(row, c);
    JsonObject byProvider = new JsonObject();
    for (Map.Entry<String, Long> e : c.byProvider().entrySet()) {
      byProvider.put(e.getKey(), e.getValue());
    }
    long sent = totals.getLong("sent");
    double rate = 0;
    Long eta = null;
    if (row.startedAt() != null) {
      OffsetDateTime end = row.completedAt() != null ? row.completedAt() : now;
      double seconds = Math.max(1, Duration.between(row.startedAt(), end).toMillis() / 1000.0);
      rate = sent / seconds;
      long left = row.recipients() - sent - totals.getLong("failed") - totals.getLong("cancelled")
          - c.of("suppressed");
      if (row.state() == CampaignState.SENDING && rate > 0 && left > 0) {
        eta = Math.round(left / rate);
      }
    }
    return new JsonObject().put("totals", totals).put("by_provider", byProvider)
        .put("progress", new JsonObject().put("sent", sent).put("total", row.recipients()))
        .put("send_rate_per_sec", Math.round(rate * 10) / 10.0)
        .put("eta_seconds", eta);
  }
}
