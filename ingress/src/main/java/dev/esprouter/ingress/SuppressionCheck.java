package dev.esprouter.ingress;

import dev.esprouter.common.Channel;
import dev.esprouter.common.SuppressionAddress;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which addresses a tenant may not send to (hard bounce, complaint; the analytics role fills
 * {@code suppressions}). One statement answers many lookups at once: all recipients of a batch, or
 * a group of concurrent single messages. Addresses are looked up in {@link SuppressionAddress} form,
 * the form analytics stores them in.
 */
final class SuppressionCheck {

  static final String LOOKUP = "select q.i, q.pos from unnest($1::int[], $2::int[], $3::text[], $4::text[], "
      + "$5::text[]) as q(i, pos, tenant_id, channel, address) join suppressions s on s.tenant_id = q.tenant_id "
      + "and s.channel = q.channel and s.address = q.address";

  /** The addresses of one request for one tenant and channel. */
  record Lookup(String tenantId, Channel channel, List<String> addresses) {
  }

  private SuppressionCheck() {
  }

  /** One set per lookup: the lookup's addresses (as given) that are suppressed. */
  static Future<List<Set<String>>> suppressed(SqlClient client, List<Lookup> lookups) {
    List<Integer> idx = new ArrayList<>();
    List<Integer> pos = new ArrayList<>();
    List<String> tenants = new ArrayList<>();
    List<String> channels = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < lookups.size(); i++) {
      Lookup l = lookups.get(i);
      for (int j = 0; j < l.addresses().size(); j++) {
        idx.add(i);
        pos.add(j);
        tenants.add(l.tenantId());
        channels.add(l.channel().wire());
        keys.add(SuppressionAddress.of(l.channel(), l.addresses().get(j)));
      }
    }
    Tuple t = Tuple.tuple().addArrayOfInteger(idx.toArray(new Integer[0])).addArrayOfInteger(pos.toArray(new Integer[0]))
        .addArrayOfString(tenants.toArray(new String[0])).addArrayOfString(channels.toArray(new String[0]))
        .addArrayOfString(keys.toArray(new String[0]));
    return client.preparedQuery(LOOKUP).execute(t).map(rows -> {
      List<Set<String>> out = new ArrayList<>(lookups.size());
      for (int i = 0; i < lookups.size(); i++) {
        out.add(new HashSet<>());
      }
      for (Row r : rows) {
        int i = r.getInteger(0);
        out.get(i).add(lookups.get(i).addresses().get(r.getInteger(1)));
      }
      return out;
    });
  }
}
