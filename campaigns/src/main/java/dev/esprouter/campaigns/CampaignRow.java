package dev.esprouter.campaigns;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One {@code campaigns} row as the API shows it ({@link CampaignSql#COLUMNS}). */
record CampaignRow(String id, String tenantId, String name, CampaignState state, String channel, String priority,
                   String provider, OffsetDateTime sendAt, Integer maxRatePerSec, JsonObject request,
                   JsonObject content, long recipients, long rejected, long duplicates, long suppressed, long lastSeq,
                   long fedSeq, Long pendingSeq, long fed, JsonArray transitions, OffsetDateTime createdAt,
                   OffsetDateTime updatedAt, OffsetDateTime startedAt, OffsetDateTime completedAt) {

  static CampaignRow of(Row r) {
    return new CampaignRow(r.getString("id"), r.getString("tenant_id"), r.getString("name"),
        CampaignState.fromWire(r.getString("state")), r.getString("channel"), r.getString("priority"),
        r.getString("provider"), r.getOffsetDateTime("send_at"), r.getInteger("max_rate_per_sec"),
        (JsonObject) r.getValue("request"), (JsonObject) r.getValue("content"), r.getLong("recipients"),
        r.getLong("rejected"), r.getLong("duplicates"), r.getLong("suppressed"), r.getLong("last_seq"),
        r.getLong("fed_seq"), r.getLong("pending_seq"), r.getLong("fed"), (JsonArray) r.getValue("transitions"),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"), r.getOffsetDateTime("started_at"),
        r.getOffsetDateTime("completed_at"));
  }

  /** The campaign as created or patched (its request's fields), with its state, history and upload counts. */
  JsonObject toJson() {
    JsonObject o = new JsonObject().put("id", id);
    request.forEach(e -> o.put(e.getKey(), e.getValue()));
    o.put("name", name).put("state", state.wire()).put("channel", channel).put("priority", priority);
    if (content.getString("locale") != null) {
      o.put("language", content.getString("locale"));
    }
    JsonArray history = new JsonArray();
    for (int i = 0; i < transitions.size(); i++) {
      JsonObject t = transitions.getJsonObject(i);
      history.add(new JsonObject().put("state", t.getString("state"))
          .put("at", time(OffsetDateTime.parse(t.getString("at")))));
    }
    return o.put("transitions", history)
        .put("list", new JsonObject().put("recipients", recipients).put("rejected", rejected)
            .put("duplicates", duplicates).put("suppressed", suppressed))
        .put("created_at", time(createdAt))
        .put("updated_at", time(updatedAt))
        .put("started_at", time(startedAt))
        .put("completed_at", time(completedAt));
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
