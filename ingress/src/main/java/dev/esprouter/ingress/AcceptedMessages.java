package dev.esprouter.ingress;

import dev.esprouter.common.Channel;
import dev.esprouter.common.status.MessageDirectory;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@link MessageDirectory} over ingress's own {@code messages}: one statement per question, by primary key or index. */
public final class AcceptedMessages implements MessageDirectory {

  static final String LOOKUP = "select id, tenant_id, batch_id, channel, recipient from messages where id = any($1::text[])";

  /** The latest message to each chat (index messages_telegram_chat). */
  static final String LATEST_TO_CHATS = """
      select distinct on (recipient) id, tenant_id, batch_id, channel, recipient from messages
      where channel = 'telegram' and recipient = any($1::text[])
      order by recipient, created_at desc
      """;

  private final Pool pool;

  public AcceptedMessages(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Map<String, Entry>> lookup(List<String> ids) {
    return pool.preparedQuery(LOOKUP).execute(Tuple.of(ids.toArray(new String[0])))
        .map(rows -> entries(rows, false));
  }

  @Override
  public Future<Map<String, Entry>> latestToChats(List<String> chatIds) {
    return pool.preparedQuery(LATEST_TO_CHATS).execute(Tuple.of(chatIds.toArray(new String[0])))
        .map(rows -> entries(rows, true));
  }

  private static Map<String, Entry> entries(RowSet<Row> rows, boolean byRecipient) {
    Map<String, Entry> out = new HashMap<>();
    for (Row r : rows) {
      Entry e = new Entry(r.getString(0), r.getString(1), r.getString(2), Channel.fromWire(r.getString(3)),
          r.getString(4));
      out.put(byRecipient ? e.recipient() : e.id(), e);
    }
    return out;
  }
}
