package dev.esprouter.common.facts;

import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the router did with one delivery of one chunk, as facts on {@code send.outcomes}: which
 * provider accepted which recipients (with the provider's ids), which were refused for good, which
 * failed over, went to retry, are dead, were cancelled or requeued. The router writes one record per
 * chunk when it is done with it (and again, the same facts, when a redelivered chunk finds them in
 * its ledger); the status writer derives message statuses, timelines and stats from them. Every fact
 * is idempotent: applying a record twice changes nothing.
 *
 * @param chunkKey the chunk's ledger key ({@link dev.esprouter.common.SendChunk#ledgerKey()})
 * @param attempt  the chunk's attempt (0 for the first delivery of the send)
 */
public record SendFacts(String chunkKey, int attempt, String tenantId, String batchId, String campaignId,
                        Channel channel, Instant at, List<Accepted> accepted, List<Failed> failed,
                        List<Failover> failovers, Moved retry, Moved dead, Moved cancelled, List<String> requeued) {

  /**
   * Recipients one provider call accepted. {@code providerIds} has one id per recipient, or a single
   * id shared by all (SendGrid's X-Message-Id, SparkPost's transmission id), or is empty.
   */
  public record Accepted(ProviderName provider, List<String> ids, List<String> providerIds,
                         Map<DomainGroup, Integer> groups) {

    public String providerIdOf(int i) {
      if (providerIds.isEmpty()) {
        return null;
      }
      return providerIds.size() == 1 ? providerIds.get(0) : providerIds.get(i);
    }
  }

  /** A recipient refused for good (status {@code failed}); {@code provider} null when none was asked. */
  public record Failed(String id, ProviderName provider, String reason) {
  }

  /** A recipient a provider answered transiently and that was tried on another one (timeline only). */
  public record Failover(String id, ProviderName provider, String outcome, String reason) {
  }

  /** Recipients moved together (to retry, dead, cancelled) with one reason; {@code notBefore} for a retry. */
  public record Moved(List<String> ids, String reason, Instant notBefore) {

    public static final Moved NONE = new Moved(List.of(), null, null);

    public boolean isEmpty() {
      return ids.isEmpty();
    }
  }

  public boolean isEmpty() {
    return accepted.isEmpty() && failed.isEmpty() && failovers.isEmpty() && retry.isEmpty() && dead.isEmpty()
        && cancelled.isEmpty() && requeued.isEmpty();
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("chunk", chunkKey).put("attempt", attempt).put("tenant_id", tenantId)
        .put("channel", channel.wire()).put("at", at.toString());
    if (batchId != null) {
      o.put("batch_id", batchId);
    }
    if (campaignId != null) {
      o.put("campaign_id", campaignId);
    }
    if (!accepted.isEmpty()) {
      JsonArray a = new JsonArray();
      for (Accepted x : accepted) {
        JsonObject g = new JsonObject();
        x.groups().forEach((k, v) -> g.put(k.wire(), v));
        a.add(new JsonObject().put("provider", x.provider().wire()).put("ids", new JsonArray(new ArrayList<>(x.ids())))
            .put("provider_ids", new JsonArray(new ArrayList<>(x.providerIds()))).put("groups", g));
      }
      o.put("accepted", a);
    }
    if (!failed.isEmpty()) {
      JsonArray a = new JsonArray();
      failed.forEach(f -> a.add(new JsonObject().put("id", f.id()).put("provider", f.provider() == null ? null
          : f.provider().wire()).put("reason", f.reason())));
      o.put("failed", a);
    }
    if (!failovers.isEmpty()) {
      JsonArray a = new JsonArray();
      failovers.forEach(f -> a.add(new JsonObject().put("id", f.id()).put("provider", f.provider().wire())
          .put("outcome", f.outcome()).put("reason", f.reason())));
      o.put("failovers", a);
    }
    putMoved(o, "retry", retry);
    putMoved(o, "dead", dead);
    putMoved(o, "cancelled", cancelled);
    if (!requeued.isEmpty()) {
      o.put("requeued", new JsonArray(new ArrayList<>(requeued)));
    }
    return o;
  }

  private static void putMoved(JsonObject o, String key, Moved m) {
    if (m.isEmpty()) {
      return;
    }
    JsonObject j = new JsonObject().put("ids", new JsonArray(new ArrayList<>(m.ids()))).put("reason", m.reason());
    if (m.notBefore() != null) {
      j.put("not_before", m.notBefore().toString());
    }
    o.put(key, j);
  }

  public static SendFacts fromBuffer(Buffer b) {
    return fromJson(new JsonObject(b));
  }

  public static SendFacts fromJson(JsonObject o) {
    List<Accepted> accepted = new ArrayList<>();
    JsonArray a = o.getJsonArray("accepted");
    if (a != null) {
      for (int i = 0; i < a.size(); i++) {
        JsonObject x = a.getJsonObject(i);
        Map<DomainGroup, Integer> groups = new EnumMap<>(DomainGroup.class);
        JsonObject g = x.getJsonObject("groups", new JsonObject());
        for (String k : g.fieldNames()) {
          DomainGroup dg = DomainGroup.fromWire(k);
          if (dg != null) {
            groups.put(dg, g.getInteger(k));
          }
        }
        accepted.add(new Accepted(provider(x.getString("provider")), strings(x.getJsonArray("ids")),
            strings(x.getJsonArray("provider_ids")), groups));
      }
    }
    List<Failed> failed = new ArrayList<>();
    JsonArray f = o.getJsonArray("failed");
    if (f != null) {
      for (int i = 0; i < f.size(); i++) {
        JsonObject x = f.getJsonObject(i);
        failed.add(new Failed(x.getString("id"), provider(x.getString("provider")), x.getString("reason")));
      }
    }
    List<Failover> failovers = new ArrayList<>();
    JsonArray fo = o.getJsonArray("failovers");
    if (fo != null) {
      for (int i = 0; i < fo.size(); i++) {
        JsonObject x = fo.getJsonObject(i);
        failovers.add(new Failover(x.getString("id"), provider(x.getString("provider")), x.getString("outcome"),
            x.getString("reason")));
      }
    }
    return new SendFacts(o.getString("chunk"), o.getInteger("attempt", 0), o.getString("tenant_id"),
        o.getString("batch_id"), o.getString("campaign_id"), Channel.fromWire(o.getString("channel")),
        Instant.parse(o.getString("at")), accepted, failed, failovers, moved(o.getJsonObject("retry")),
        moved(o.getJsonObject("dead")), moved(o.getJsonObject("cancelled")), strings(o.getJsonArray("requeued")));
  }

  private static Moved moved(JsonObject j) {
    if (j == null) {
      return Moved.NONE;
    }
    String nb = j.getString("not_before");
    return new Moved(strings(j.getJsonArray("ids")), j.getString("reason"), nb == null ? null : Instant.parse(nb));
  }

  private static ProviderName provider(String wire) {
    return wire == null ? null : ProviderName.fromWire(wire);
  }

  private static List<String> strings(JsonArray a) {
    if (a == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(a.getString(i));
    }
    return out;
  }
}
