package dev.esprouter.router.ledger;

import dev.esprouter.common.ProviderName;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The reads of the router's ledger: a redelivered chunk's state, which owners live, a batch's chunks. */
public final class LedgerReader {

  private final Pool pool;

  public LedgerReader(Pool pool) {
    this.pool = pool;
  }

  public Future<LedgerState> load(LedgerRequest.ChunkRef ref) {
    return pool.preparedQuery(LedgerSql.LOAD).execute(Tuple.of(ref.chunkKey(), ref.attempt())).map(rows -> {
      if (rows.size() == 0) {
        return LedgerState.NONE;
      }
      boolean done = false;
      JsonObject placed = null;
      List<LedgerState.Call> calls = new ArrayList<>();
      for (Row r : rows) {
        done = "done".equals(r.getString(0));
        placed = r.getString(1) == null ? null : new JsonObject(r.getString(1));
        if (r.getInteger(2) == null) {
          continue;
        }
        calls.add(new LedgerState.Call(r.getInteger(2), r.getString(3), ProviderName.fromWire(r.getString(4)),
            LedgerRequest.split(r.getString(5)), r.getString(6), LedgerRequest.split(r.getString(7)),
            LedgerRequest.split(r.getString(8)), r.getLong(9)));
      }
      return new LedgerState(true, done, placed, List.copyOf(calls));
    });
  }

  /** The incarnations of {@code owners} that are alive: not stopped and beating within {@code deadAfterMs}. */
  public Future<Set<String>> alive(Set<String> owners, long deadAfterMs) {
    if (owners.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(LedgerSql.ALIVE)
        .execute(Tuple.of(owners.toArray(new String[0]), deadAfterMs / 1000.0))
        .map(rows -> {
          Set<String> out = new HashSet<>();
          rows.forEach(r -> out.add(r.getString(0)));
          return out;
        });
  }

  /** Each chunk of a batch with the weights and split it was routed by (GET /v1/batches/{id}). */
  public Future<JsonArray> batchChunks(String batchId) {
    return pool.preparedQuery(LedgerSql.BATCH_CHUNKS).execute(Tuple.of(batchId)).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("chunk_index", r.getInteger(0)).put("attempt", r.getInteger(1))
            .put("channel", r.getString(2)).put("recipients", r.getInteger(3)).put("weights", r.getValue(4))
            .put("split", r.getValue(5)).put("sent_at", r.getOffsetDateTime(6) == null ? null
                : r.getOffsetDateTime(6).toInstant().toString()));
      }
      return out;
    });
  }
}
