package dev.esprouter.router.store;

import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.router.RouterMetrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The router's PostgreSQL side: one statement to claim a chunk, one to record what routing it did.
 * High-priority chunks use a small pool of their own, so a transactional message never waits for
 * a connection behind a campaign's 500-row statements.
 */
public final class ChunkStore {

  /** Who owns a chunk's recipients now: {@code toSend} are ours; {@code leased} belong to a live send elsewhere. */
  public record Claim(List<Recipient> toSend, List<Recipient> leased, Instant leaseEnds) {
  }

  private final Pool pool;
  private final Pool highPool;
  private final long leaseMs;
  private final RouterMetrics metrics;
  private final SentStats sentStats;

  public ChunkStore(Pool pool, Pool highPool, long leaseMs, RouterMetrics metrics, SentStats sentStats) {
    this.pool = pool;
    this.highPool = highPool;
    this.leaseMs = leaseMs;
    this.metrics = metrics;
    this.sentStats = sentStats;
  }

  /**
   * Runs one statement of the chunk's lane on a connection of its pool, timing the wait for the
   * connection ({@code <statement>_wait}) apart from the statement itself.
   */
  private Future<RowSet<Row>> execute(String statement, SendChunk chunk, String sql, Tuple args) {
    long asked = System.nanoTime();
    return poolFor(chunk).withConnection(conn -> {
      long got = System.nanoTime();
      metrics.statement(statement + "_wait", chunk.priority(), got - asked);
      return conn.preparedQuery(sql).execute(args)
          .onComplete(ar -> metrics.statement(statement, chunk.priority(), System.nanoTime() - got));
    });
  }

  private Pool poolFor(SendChunk chunk) {
    return chunk.priority() == dev.esprouter.common.Priority.HIGH ? highPool : pool;
  }

  /** Marks the chunk's recipients {@code sending} and returns those this process may send now. */
  public Future<Claim> claim(SendChunk chunk) {
    List<Recipient> rs = chunk.recipients();
    String[] ids = new String[rs.size()];
    String[] tos = new String[rs.size()];
    String[] metadata = new String[rs.size()];
    for (int i = 0; i < rs.size(); i++) {
      Recipient r = rs.get(i);
      ids[i] = r.messageId();
      tos[i] = r.to();
      metadata[i] = r.metadata() == null ? null : r.metadata().encode();
    }
    Tuple t = Tuple.tuple()
        .addArrayOfString(ids).addArrayOfString(tos).addArrayOfString(metadata)
        .addString(chunk.tenantId()).addString(chunk.batchId()).addInteger(chunk.chunkIndex())
        .addString(chunk.channel().wire()).addInteger(chunk.attempt() + 1).addString(chunk.priority().wire())
        .addValue(chunk.sendAt() == null ? null : chunk.sendAt().atOffset(ZoneOffset.UTC))
        .addDouble(leaseMs / 1000.0);
    return execute("claim", chunk, RouterSql.CLAIM, t).map(rows -> {
      Map<String, Recipient> byId = new HashMap<>();
      rs.forEach(r -> byId.put(r.messageId(), r));
      List<Recipient> toSend = new ArrayList<>();
      List<Recipient> leased = new ArrayList<>();
      long latestLease = 0;
      for (Row row : rows) {
        Recipient r = byId.get(row.getString(0));
        if (Boolean.TRUE.equals(row.getBoolean(1))) {
          toSend.add(r);
        } else if ("sending".equals(row.getString(2))) {
          leased.add(r);
          latestLease = Math.max(latestLease, row.getLong(3) + leaseMs);
        }
      }
      return new Claim(toSend, leased, Instant.ofEpochMilli(latestLease));
    });
  }

  /** When the batch's latest earlier chunk went out, if any did. */
  public Future<Optional<Instant>> previousChunkSentAt(String batchId, int chunkIndex) {
    return pool.preparedQuery(RouterSql.PREVIOUS_CHUNK_SENT_AT).execute(Tuple.of(batchId, chunkIndex))
        .map(rows -> {
          var at = rows.iterator().next().getOffsetDateTime(0);
          return Optional.ofNullable(at == null ? null : at.toInstant());
        });
  }

  /** Writes a {@link ChunkRecord} in one statement; its sent counts go to {@link SentStats} once it is committed. */
  public Future<Void> record(ChunkRecord r) {
    return execute("record", r.chunk(), RouterSql.RECORD, r.tuple())
        .onSuccess(rows -> sentStats.add(r.sent()))
        .mapEmpty();
  }

  static String json(JsonObject o) {
    return o == null ? null : o.encode();
  }
}
