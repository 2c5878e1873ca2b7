package dev.esprouter.ingress.templates;

import dev.esprouter.providers.meta.MetaTemplateStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.Set;

/**
 * Applies one of Meta's template status updates to the registry: found by Meta's template id, or,
 * when the update beat the answer to its own submission, by name and language among the templates
 * being submitted. Updates that change nothing for sending (FLAGGED, quality) are skipped; a repeat
 * changes nothing.
 */
final class TemplateStatuses {

  private final Pool pool;
  private final TemplateRegistry registry;

  TemplateStatuses(Pool pool, TemplateRegistry registry) {
    this.pool = pool;
    this.registry = registry;
  }

  /** The tenants whose registry changed. */
  Future<Set<String>> apply(MetaTemplateStatus.Update u) {
    String status = MetaTemplateStatus.registryStatus(u.event());
    if (status == null || u.metaId() == null) {
      return Future.succeededFuture(Set.of());
    }
    String reason = Template.APPROVED.equals(status) || Template.IN_REVIEW.equals(status) ? null : u.reason();
    return pool.preparedQuery(TemplateSql.STATUS_BY_META_ID).execute(Tuple.of(u.metaId(), status, reason))
        .compose(changed -> {
          if (changed.size() > 0 || u.name() == null || u.language() == null) {
            return Future.succeededFuture(changed);
          }
          return pool.preparedQuery(TemplateSql.STATUS_BY_NAME)
              .execute(Tuple.of(u.metaId(), u.name(), u.language(), status, reason));
        })
        .map(TemplateStatuses::tenants)
        .onSuccess(tenants -> tenants.forEach(registry::invalidate));
  }

  static Set<String> tenants(RowSet<Row> rows) {
    Set<String> out = new HashSet<>();
    rows.forEach(r -> out.add(r.getString(0)));
    return out;
  }
}
