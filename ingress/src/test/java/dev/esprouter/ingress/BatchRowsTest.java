package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A batch's rows, written over several connections, are all kept or all dropped")
class BatchRowsTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    pool = env.pool(vertx);
    env.database().sql("insert into tenants (id, name) values ('ten_rows', 'rows') on conflict do nothing");
    env.database().sql("delete from messages");
    env.database().sql("delete from batches");
  }

  @AfterEach
  void close() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("Committed: every chunk's rows and the batch row, whichever connection wrote them")
  void commitKeepsAll() throws Exception {
    List<SendChunk> chunks = chunks("bat_rows1", 4, 50, false);
    BatchRows rows = BatchRows.open(pool, 2).await(10, TimeUnit.SECONDS);
    rows.write(conn -> batchRow(conn, "bat_rows1", 4), chunks).await(10, TimeUnit.SECONDS);
    rows.commit().eventually(rows::close).await(10, TimeUnit.SECONDS);
    assertThat(env.database().count("select count(*) from messages where batch_id = 'bat_rows1'")).isEqualTo(200);
    assertThat(env.database().count("select count(*) from batches where id = 'bat_rows1'")).isEqualTo(1);
  }

  @Test
  @DisplayName("One connection's statement fails: the rows the other connection wrote are rolled back too")
  void oneFailureDropsAll() throws Exception {
    // Chunk 1 (second connection) repeats a message id inside itself, so only its statement fails.
    List<SendChunk> chunks = chunks("bat_rows2", 4, 50, true);
    BatchRows rows = BatchRows.open(pool, 2).await(10, TimeUnit.SECONDS);
    Future<Void> written = rows.write(conn -> batchRow(conn, "bat_rows2", 4), chunks);
    Throwable failure = written.transform(ar -> Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
    assertThat(failure).isNotNull();
    rows.rollback().eventually(rows::close).await(10, TimeUnit.SECONDS);
    assertThat(env.database().count("select count(*) from messages")).isZero();
    assertThat(env.database().count("select count(*) from batches")).isZero();
  }

  private static Future<Void> batchRow(io.vertx.sqlclient.SqlConnection conn, String batchId, int chunkCount) {
    SendRequest req = SendRequestParser.batch(Bodies.batch(1).toBuffer()).request();
    return MessageStore.insertBatch(conn, batchId, "ten_rows", req, chunkCount * 50, 0, chunkCount);
  }

  private static List<SendChunk> chunks(String batchId, int count, int size, boolean duplicateInSecond) {
    SendRequest req = SendRequestParser.batch(Bodies.batch(1).toBuffer()).request();
    List<SendChunk> chunks = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      List<Recipient> rs = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        String id = duplicateInSecond && c == 1 && i == size - 1 ? batchId + "_1_0" : batchId + "_" + c + "_" + i;
        rs.add(new Recipient(id, "user" + c + "_" + i + "@example.com", null, null));
      }
      chunks.add(new SendChunk(batchId, "ten_rows", c, count, req.channel(), req.priority(), null, null, null, 0,
          req.content(), rs, Instant.now(), null));
    }
    return chunks;
  }
}
