package dev.esprouter.campaigns;

import dev.esprouter.common.SendChunk;
import dev.esprouter.common.routing.ChunkGate;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the router does with a campaign's chunk: a paused campaign's chunks are held (asked again a
 * second later: not sent, not dropped), a cancelled campaign's are cancelled (their recipients end
 * {@code cancelled}), every other chunk goes. A campaign's state is read at most once per
 * {@code ESP_CAMPAIGN_GATE_CACHE_MS} per process, whatever the number of its chunks.
 */
final class CampaignGate implements ChunkGate {

  static final long HOLD_MS = 1_000;

  private record Known(String state, long at) {
  }

  private final Pool pool;
  private final long cacheMs;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  CampaignGate(Pool pool, long cacheMs) {
    this.pool = pool;
    this.cacheMs = cacheMs;
  }

  @Override
  public Future<Decision> check(SendChunk chunk) {
    if (chunk.campaignId() == null) {
      return Future.succeededFuture(Decision.proceed());
    }
    return state(chunk.campaignId()).map(state -> switch (state == null ? "" : state) {
      case "paused" -> Decision.hold(Instant.now().plusMillis(HOLD_MS), "campaign paused");
      case "cancelled" -> Decision.cancel("campaign cancelled");
      default -> Decision.proceed();
    });
  }

  private Future<String> state(String campaignId) {
    long now = System.currentTimeMillis();
    Known k = known.get(campaignId);
    if (k != null && now - k.at() < cacheMs) {
      return Future.succeededFuture(k.state());
    }
    return pool.preparedQuery(CampaignSql.GATE_STATE).execute(Tuple.of(campaignId)).map(rows -> {
      String state = rows.size() == 0 ? null : rows.iterator().next().getString(0);
      if (known.size() > 10_000) {
        known.clear(); // bounded: campaigns that ended long ago are read again at most once
      }
      known.put(campaignId, new Known(state, now));
      return state;
    });
  }
}
