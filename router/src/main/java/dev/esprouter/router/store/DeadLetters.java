package dev.esprouter.router.store;

import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * Writes a chunk's dead letters in one statement ({@link RouterSql#DEAD_LETTERS}). Text that
 * PostgreSQL cannot store (NUL, which a chunk that failed for that very reason may hold) is stored
 * with U+FFFD in its place, so that even a poisoned chunk leaves a readable dead letter.
 */
public final class DeadLetters {

  /** One dead letter: {@code reason} is {@code exhausted} (status dead) or {@code permanent} (status failed). */
  public record Entry(Recipient recipient, String reason, String lastError) {
  }

  private final Pool pool;

  public DeadLetters(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> write(SendChunk chunk, int attempts, List<Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = entries.size();
    String[] ids = new String[n];
    String[] reasons = new String[n];
    String[] errors = new String[n];
    String[] recipients = new String[n];
    String[] data = new String[n];
    String[] metadata = new String[n];
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      ids[i] = clean(e.recipient().messageId());
      reasons[i] = e.reason();
      errors[i] = clean(e.lastError());
      recipients[i] = clean(e.recipient().to());
      data[i] = json(e.recipient().data());
      metadata[i] = json(e.recipient().metadata());
    }
    return pool.preparedQuery(RouterSql.DEAD_LETTERS).execute(Tuple.tuple()
            .addString(clean(chunk.tenantId())).addString(clean(chunk.batchId())).addString(chunk.channel().wire())
            .addString(chunk.priority().wire()).addString(clean(chunk.provider())).addString(clean(chunk.campaignId()))
            .addInteger(attempts).addString(json(chunk.content().toJson()))
            .addArrayOfString(ids).addArrayOfString(reasons).addArrayOfString(errors).addArrayOfString(recipients)
            .addArrayOfString(data).addArrayOfString(metadata))
        .mapEmpty();
  }

  /** Text PostgreSQL can store: NUL replaced by U+FFFD. */
  public static String clean(String s) {
    return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\ufffd');
  }

  /** JSON text jsonb accepts: the {@code \u0000} escape replaced by U+FFFD's. */
  static String json(JsonObject o) {
    if (o == null) {
      return null;
    }
    String s = o.encode();
    return s.contains("\\u0000") ? s.replace("\\u0000", "\\ufffd") : s;
  }
}
