package dev.esprouter.ingress.templates;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * The registry's writes and reads in PostgreSQL ({@link TemplateSql}); every change invalidates this
 * process's cache of the tenant at once ({@link TemplateRegistry#invalidate}).
 */
final class TemplateStore {

  private final Pool pool;
  private final TemplateRegistry registry;

  TemplateStore(Pool pool, TemplateRegistry registry) {
    this.pool = pool;
    this.registry = registry;
  }

  Pool pool() {
    return pool;
  }

  /** Inserts a new template; a name already taken in that language is a 409 {@code template_exists}. */
  Future<Template> insert(String tenantId, Channel channel, String name, String language, String status,
                          String category, JsonObject body) {
    String id = Ids.next("tpl_");
    return pool.preparedQuery(TemplateSql.INSERT)
        .execute(Tuple.of(id, tenantId, channel.wire(), name, language, status, category, body))
        .map(TemplateRows::first)
        .recover(err -> Future.failedFuture(err instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? TemplateRefusal.conflict("template_exists", "name", "this tenant has a " + channel.wire()
                + " template named '" + name + "' in " + language + " already (change it with PUT, or use another "
                + "name or language)")
            : err))
        .onSuccess(t -> registry.invalidate(tenantId));
  }

  Future<Template> get(String tenantId, String id) {
    return pool.preparedQuery(TemplateSql.GET).execute(Tuple.of(id, tenantId)).map(TemplateRows::first);
  }

  Future<List<Template>> list(String tenantId, String channel, String status, String name, String after, int limit) {
    return pool.preparedQuery(TemplateSql.LIST).execute(Tuple.tuple().addString(tenantId).addString(channel)
        .addString(status).addString(name).addString(after).addInteger(limit)).map(TemplateRows::all);
  }

  /** New content, or null when nothing changed (not found, or a WhatsApp template past its draft). */
  Future<Template> updateContent(String tenantId, String id, String category, JsonObject body) {
    return pool.preparedQuery(TemplateSql.UPDATE_CONTENT).execute(Tuple.of(id, tenantId, category, body))
        .map(TemplateRows::first)
        .onSuccess(t -> registry.invalidate(tenantId));
  }

  Future<Boolean> delete(String tenantId, String id) {
    return pool.preparedQuery(TemplateSql.DELETE).execute(Tuple.of(id, tenantId))
        .map(rows -> rows.iterator().next().getLong(0) > 0)
        .onSuccess(d -> registry.invalidate(tenantId));
  }

  /** The draft claimed for submission (null when it is not a WhatsApp draft of this tenant any more). */
  Future<Template> markSubmitting(String tenantId, String id) {
    return pool.preparedQuery(TemplateSql.MARK_SUBMITTING).execute(Tuple.of(id, tenantId)).map(TemplateRows::first);
  }

  Future<Void> unmarkSubmitting(String id) {
    return pool.preparedQuery(TemplateSql.UNMARK_SUBMITTING).execute(Tuple.of(id)).mapEmpty();
  }

  /** Meta's id and first status; null when a status webhook recorded them first. */
  Future<Template> submitted(String tenantId, String id, String metaId, String status, String reason) {
    return pool.preparedQuery(TemplateSql.SUBMITTED).execute(Tuple.of(id, metaId, status, reason))
        .map(TemplateRows::first)
        .onSuccess(t -> registry.invalidate(tenantId));
  }
}
