package dev.esprouter.ingress.templates;

import dev.esprouter.common.Channel;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;

/** Rows of {@code templates} (selected as {@link TemplateSql#COLUMNS}) as {@link Template}s. */
final class TemplateRows {

  private TemplateRows() {
  }

  static Template of(Row r) {
    Object body = r.getValue("body");
    return new Template(r.getString("id"), r.getString("tenant_id"), Channel.fromWire(r.getString("channel")),
        r.getString("name"), r.getString("language"), r.getString("status"), r.getString("category"),
        body instanceof JsonObject o ? o : new JsonObject(String.valueOf(body)), r.getString("reason"),
        r.getString("meta_id"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }

  static List<Template> all(RowSet<Row> rows) {
    List<Template> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(of(r));
    }
    return out;
  }

  static Template first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : of(rows.iterator().next());
  }
}
