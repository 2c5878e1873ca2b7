package dev.esprouter.analytics.http;

import dev.esprouter.common.ProviderName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code provider_stats} minute buckets summed into steps, in the columnar shape charts take: one
 * array of step starts ({@code t}, epoch seconds, every step of the range, empty steps included) and,
 * per provider, one array per counter and per rate. A rate is null where its denominator is zero:
 * "no data" is not "0 %".
 *
 * <ul>
 *   <li>{@code delivered}: delivered of the recipients whose fate was reported in the step
 *       (delivered + bounced + failed, both sides);</li>
 *   <li>{@code bounced}: bounced (both sides) of the same;</li>
 *   <li>{@code complained}, {@code opened}: of the delivered in the step.</li>
 * </ul>
 */
final class StatsSeries {

  static final List<String> COUNTERS = List.of("sent", "delivered", "opened", "clicked", "deferred", "bounced",
      "bounced_recipient", "complained", "failed", "failed_recipient");

  private StatsSeries() {
  }

  /**
   * @param fromSec first step start (aligned), epoch seconds
   * @param steps   number of steps
   * @param stepSec step length
   * @param rows    (provider, step start, the {@link #COUNTERS}) in provider and step order
   */
  static JsonObject of(long fromSec, int steps, long stepSec, Iterable<Row> rows) {
    JsonArray t = new JsonArray();
    for (int i = 0; i < steps; i++) {
      t.add(fromSec + i * stepSec);
    }
    Map<String, long[][]> byProvider = new TreeMap<>();
    for (Row r : rows) {
      int i = (int) ((r.getLong(1) - fromSec) / stepSec);
      if (i < 0 || i >= steps) {
        continue;
      }
      long[][] counts = byProvider.computeIfAbsent(r.getString(0), p -> new long[COUNTERS.size()][steps]);
      for (int c = 0; c < COUNTERS.size(); c++) {
        counts[c][i] = r.getLong(2 + c);
      }
    }
    JsonObject providers = new JsonObject();
    byProvider.forEach((p, counts) -> providers.put(p, provider(p, counts, steps)));
    return new JsonObject().put("step_seconds", stepSec).put("t", t).put("providers", providers);
  }

  private static JsonObject provider(String name, long[][] c, int steps) {
    ProviderName p = ProviderName.fromWire(name);
    JsonObject out = new JsonObject().put("channel", p == null ? null : p.channel().wire());
    for (int i = 0; i < COUNTERS.size(); i++) {
      JsonArray a = new JsonArray();
      for (long v : c[i]) {
        a.add(v);
      }
      out.put(COUNTERS.get(i), a);
    }
    JsonArray delivered = new JsonArray();
    JsonArray bounced = new JsonArray();
    JsonArray complained = new JsonArray();
    JsonArray opened = new JsonArray();
    for (int i = 0; i < steps; i++) {
      long d = at(c, "delivered", i);
      long b = at(c, "bounced", i) + at(c, "bounced_recipient", i);
      long resolved = d + b + at(c, "failed", i) + at(c, "failed_recipient", i);
      delivered.add(ratio(d, resolved));
      bounced.add(ratio(b, resolved));
      complained.add(ratio(at(c, "complained", i), d));
      opened.add(ratio(at(c, "opened", i), d));
    }
    return out.put("rates", new JsonObject().put("delivered", delivered).put("bounced", bounced)
        .put("complained", complained).put("opened", opened));
  }

  private static long at(long[][] c, String counter, int i) {
    return c[COUNTERS.indexOf(counter)][i];
  }

  private static Double ratio(long n, long d) {
    return d == 0 ? null : Math.round(n * 1_000_000d / d) / 1_000_000d;
  }
}
