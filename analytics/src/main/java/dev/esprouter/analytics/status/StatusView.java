package dev.esprouter.analytics.status;

import dev.esprouter.common.MessageStatus;
import dev.esprouter.common.status.BatchCounts;
import dev.esprouter.common.status.MessageState;
import dev.esprouter.common.status.MessageStatusView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads of what the status writer owns: states by id, a message's timeline, a batch's counters. */
public final class StatusView implements MessageStatusView {

  static final String STATES = "select id, status, provider, provider_message_id, attempts, last_error, sent_at, "
      + "updated_at from message_status where id = any($1::text[])";
  static final String TIMELINE = "select type, occurred_at, provider, detail from message_events "
      + "where message_id = $1 order by occurred_at, dedupe_key limit 1000";
  static final String COUNTS = "select status, provider, n from batch_counters where batch_id = $1 and n <> 0";

  private final Pool pool;

  public StatusView(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Map<String, MessageState>> states(List<String> messageIds) {
    if (messageIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(STATES).execute(Tuple.of(messageIds.toArray(new String[0]))).map(rows -> {
      Map<String, MessageState> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getString(0), new MessageState(r.getString(0), MessageStatus.fromWire(r.getString(1)),
            r.getString(2), r.getString(3), r.getInteger(4), r.getString(5), instant(r.getOffsetDateTime(6)),
            instant(r.getOffsetDateTime(7))));
      }
      return out;
    });
  }

  @Override
  public Future<JsonArray> timeline(String messageId) {
    return pool.preparedQuery(TIMELINE).execute(Tuple.of(messageId)).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("type", r.getString(0)).put("at", r.getOffsetDateTime(1).toInstant().toString())
            .put("provider", r.getString(2)).put("detail", r.getValue(3)));
      }
      return out;
    });
  }

  @Override
  public Future<BatchCounts> counts(String batchId) {
    return pool.preparedQuery(COUNTS).execute(Tuple.of(batchId)).map(rows -> {
      Map<String, Long> byStatus = new LinkedHashMap<>();
      Map<String, Long> byProvider = new LinkedHashMap<>();
      for (Row r : rows) {
        long n = r.getLong(2);
        byStatus.merge(r.getString(0), n, Long::sum);
        if (!r.getString(1).isEmpty()) {
          byProvider.merge(r.getString(1), n, Long::sum);
        }
      }
      return new BatchCounts(byStatus, byProvider);
    });
  }

  private static java.time.Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
