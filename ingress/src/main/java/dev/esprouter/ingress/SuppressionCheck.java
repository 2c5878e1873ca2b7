package dev.esprouter.ingress;

import dev.esprouter.common.Channel;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which addresses a tenant may not send to (hard bounce, complaint; the analytics role fills
 * {@code suppressions}). One statement answers many lookups at once: all recipients of a batch, or
 * a group of concurrent single messages. Email addresses are matched as given and in lower case.
 */
final class SuppressionCheck {

  static final String LOOKUP = "select q.i, q.address from unnest($1::int[], $2::text[], $3::text[], $4::text[]) "
      + "as q(i, tenant_id, channel, address) join suppressions s on s.tenant_id = q.tenant_id "
      + "and s.channel = q.channel and s.address = q.address";

  /** The addresses of one request for one tenant and channel. */
  record Lookup(String tenantId, Channel channel, List<String> addresses) {
  }

  private SuppressionCheck() {
  }

  /** One set per lookup: the lookup's addresses (as given) that are suppressed. */
  static Future<List<Set<String>>> suppressed(SqlClient client, List<Lookup> lookups) {
    List<Integer> idx = new ArrayList<>();
    List<String> tenants = new ArrayList<>();
    List<String> channels = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    for (int i = 0; i < lookups.size(); i++) {
      Lookup l = lookups.get(i);
      for (String a : l.addresses()) {
        for (String form : forms(l.channel(), a)) {
          idx.add(i);
          tenants.add(l.tenantId());
          channels.add(l.channel().wire());
          candidates.add(form);
        }
      }
    }
    Tuple t = Tuple.tuple().addArrayOfInteger(idx.toArray(new Integer[0])).addArrayOfString(tenants.toArray(new String[0]))
        .addArrayOfString(channels.toArray(new String[0])).addArrayOfString(candidates.toArray(new String[0]));
    return client.preparedQuery(LOOKUP).execute(t).map(rows -> {
      List<Set<String>> hits = new ArrayList<>(lookups.size());
      for (int i = 0; i < lookups.size(); i++) {
        hits.add(new HashSet<>());
      }
      for (Row r : rows) {
        hits.get(r.getInteger(0)).add(r.getString(1));
      }
      List<Set<String>> out = new ArrayList<>(lookups.size());
      for (int i = 0; i < lookups.size(); i++) {
        Set<String> found = hits.get(i);
        Set<String> given = new HashSet<>();
        if (!found.isEmpty()) {
          for (String a : lookups.get(i).addresses()) {
            for (String form : forms(lookups.get(i).channel(), a)) {
              if (found.contains(form)) {
                given.add(a);
              }
            }
          }
        }
        out.add(given);
      }
      return out;
    });
  }

  private static List<String> forms(Channel channel, String address) {
    if (channel != Channel.EMAIL) {
      return List.of(address);
    }
    String lower = address.toLowerCase(Locale.ROOT);
    return lower.equals(address) ? List.of(address) : List.of(address, lower);
  }
}
