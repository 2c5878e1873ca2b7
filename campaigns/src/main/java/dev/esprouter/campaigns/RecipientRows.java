package dev.esprouter.campaigns;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements on {@code campaign_recipients}: an upload's lines, a thousand a statement
 * ({@code unnest} arrays; an address already listed is skipped by the unique index, which is how a
 * campaign is de-duplicated), and the feeder's reads in list order.
 */
final class RecipientRows {

  /** A line ready to store: its place in the list, the address as given and in suppression form. */
  record Listed(long seq, String to, String key, JsonObject data, JsonObject metadata) {
  }

  static final String LOCK_FOR_UPLOAD = "select state, last_seq from campaigns where id = $1 and tenant_id = $2 "
      + "for update";

  static final String INSERT = "insert into campaign_recipients (campaign_id, seq, recipient, address_key, data, "
      + "metadata) select $1, r.seq, r.recipient, r.address_key, r.data::jsonb, r.metadata::jsonb "
      + "from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) "
      + "as r(seq, recipient, address_key, data, metadata) on conflict (campaign_id, address_key) do nothing";

  static final String FINISH_UPLOAD = "update campaigns set last_seq = $2, recipients = recipients + $3, "
      + "rejected = rejected + $4, duplicates = duplicates + $5, suppressed = suppressed + $6, updated_at = now() "
      + "where id = $1 returning recipients";

  /** Recipients after {@code $2} up to {@code $3}, at most {@code $4}, in list order. */
  static final String NEXT = "select seq, recipient, data, metadata from campaign_recipients where campaign_id = $1 "
      + "and seq > $2 and seq <= $3 order by seq limit $4";

  private RecipientRows() {
  }

  /** Stores the lines; the number stored (the others were already listed). */
  static Future<Integer> insert(SqlClient client, String campaignId, List<Listed> lines) {
    int n = lines.size();
    Long[] seq = new Long[n];
    String[] to = new String[n];
    String[] key = new String[n];
    String[] data = new String[n];
    String[] metadata = new String[n];
    for (int i = 0; i < n; i++) {
      Listed l = lines.get(i);
      seq[i] = l.seq();
      to[i] = l.to();
      key[i] = l.key();
      data[i] = l.data() == null || l.data().isEmpty() ? null : l.data().encode();
      metadata[i] = l.metadata() == null || l.metadata().isEmpty() ? null : l.metadata().encode();
    }
    return client.preparedQuery(INSERT).execute(Tuple.tuple().addString(campaignId).addArrayOfLong(seq)
        .addArrayOfString(to).addArrayOfString(key).addArrayOfString(data).addArrayOfString(metadata))
        .map(rows -> rows.rowCount());
  }

  /** The stored recipients after {@code after} up to {@code upTo}, at most {@code limit}. */
  static Future<List<Listed>> next(SqlClient client, String campaignId, long after, long upTo, int limit) {
    return client.preparedQuery(NEXT).execute(Tuple.of(campaignId, after, upTo, limit)).map(rows -> {
      List<Listed> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new Listed(r.getLong(0), r.getString(1), null, (JsonObject) r.getValue(2),
            (JsonObject) r.getValue(3)));
      }
      return out;
    });
  }
}
