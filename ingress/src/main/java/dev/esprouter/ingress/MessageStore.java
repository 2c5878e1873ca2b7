package dev.esprouter.ingress;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;

/**
 * What ingress writes to PostgreSQL on accept: the message rows — the request as accepted, written
 * once, by ingress only (their status is the status writer's, in analytics) — one statement per chunk
 * or per group of single messages with {@code unnest} arrays, and the batch row.
 */
final class MessageStore {

  private static final String INSERT_ROWS = "insert into messages (id, tenant_id, batch_id, chunk_index, channel, "
      + "recipient, metadata, priority, send_at, language) "
      + "select m.id, m.tenant_id, m.batch_id, m.chunk_index, m.channel, m.recipient, m.metadata::jsonb, "
      + "m.priority, m.send_at, m.language from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], "
      + "$6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[]) "
      + "as m(id, tenant_id, batch_id, chunk_index, channel, recipient, metadata, priority, send_at, language)";

  /** Single messages: their record goes to Kafka at the same time; the row is written once, by ingress only. */
  static final String INSERT_MESSAGES = INSERT_ROWS + " on conflict (id) do nothing";

  /** A batch's rows: new ids, written before its Kafka transaction commits; a plain insert. */
  static final String INSERT_BATCH_MESSAGES = INSERT_ROWS;

  static final String INSERT_BATCH = "insert into batches (id, tenant_id, channel, priority, recipients, rejected, "
      + "chunk_count, provider, send_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

  /** Compensation when Kafka refused what the rows announce: no router saw them. */
  static final String DELETE_QUEUED = "delete from messages where id = any($1::text[])";

  private MessageStore() {
  }

  /** Rows of single messages (see {@link #INSERT_MESSAGES}). */
  static Future<List<Void>> insert(SqlClient client, List<MessageRow> rows) {
    return insert(client, INSERT_MESSAGES, rows);
  }

  /** Rows of a batch whose Kafka transaction is not committed yet (see {@link #INSERT_BATCH_MESSAGES}). */
  static Future<List<Void>> insertForBatch(SqlClient client, List<MessageRow> rows) {
    return insert(client, INSERT_BATCH_MESSAGES, rows);
  }

  private static Future<List<Void>> insert(SqlClient client, String sql, List<MessageRow> rows) {
    int n = rows.size();
    String[] id = new String[n];
    String[] tenant = new String[n];
    String[] batch = new String[n];
    Integer[] chunk = new Integer[n];
    String[] channel = new String[n];
    String[] recipient = new String[n];
    String[] metadata = new String[n];
    String[] priority = new String[n];
    OffsetDateTime[] sendAt = new OffsetDateTime[n];
    String[] language = new String[n];
    for (int i = 0; i < n; i++) {
      MessageRow r = rows.get(i);
      id[i] = r.id();
      tenant[i] = r.tenantId();
      batch[i] = r.batchId();
      chunk[i] = r.chunkIndex();
      channel[i] = r.channel();
      recipient[i] = r.recipient();
      metadata[i] = r.metadataJson();
      priority[i] = r.priority();
      sendAt[i] = r.sendAt();
      language[i] = r.language();
    }
    Tuple t = Tuple.tuple().addArrayOfString(id).addArrayOfString(tenant).addArrayOfString(batch)
        .addArrayOfInteger(chunk).addArrayOfString(channel).addArrayOfString(recipient).addArrayOfString(metadata)
        .addArrayOfString(priority).addArrayOfOffsetDateTime(sendAt).addArrayOfString(language);
    return client.preparedQuery(sql).execute(t).map(r -> Collections.nCopies(n, (Void) null));
  }

  static Future<Void> insertBatch(SqlClient client, String batchId, String tenantId, SendRequest req, int accepted,
                                  int rejected, int chunkCount) {
    return client.preparedQuery(INSERT_BATCH).execute(Tuple.tuple().addString(batchId).addString(tenantId)
            .addString(req.channel().wire()).addString(req.priority().wire()).addInteger(accepted).addInteger(rejected)
            .addInteger(chunkCount).addString(req.provider())
            .addOffsetDateTime(req.sendAt() == null ? null : req.sendAt().atOffset(java.time.ZoneOffset.UTC)))
        .mapEmpty();
  }

  static Future<Void> deleteQueued(SqlClient client, List<String> ids) {
    return client.preparedQuery(DELETE_QUEUED).execute(Tuple.of(ids.toArray(new String[0]))).mapEmpty();
  }
}
