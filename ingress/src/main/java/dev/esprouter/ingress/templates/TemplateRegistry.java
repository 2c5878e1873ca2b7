package dev.esprouter.ingress.templates;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each tenant's registry, cached in this process so the send path does no registry query per
 * request (and never one per recipient): a request reads the cached {@link TenantTemplates}; once
 * it is older than {@code ttlMs}, the next request checks the tenant's version and settings with
 * one small query ({@link TemplateSql#VERSION}) and reloads the templates only when the version
 * moved. Changes made in this process invalidate its entry at once; other processes see them
 * within {@code ttlMs}. Concurrent requests of a tenant share one refresh. If a refresh fails,
 * the last loaded registry is kept and the next request tries again.
 *
 * <p>Thread-safe: one instance per process, shared by the send API of every event loop and the
 * template {@link dev.esprouter.common.routing.ChunkGate} the router asks.
 */
public final class TemplateRegistry {

  private static final Logger log = LoggerFactory.getLogger(TemplateRegistry.class);

  private final Pool pool;
  private final long ttlMs;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Future<TenantTemplates>> refreshing = new ConcurrentHashMap<>();
  /** Per tenant, how many times this process invalidated it: a refresh begun before a change does not store. */
  private final ConcurrentHashMap<String, Long> invalidations = new ConcurrentHashMap<>();

  private record Entry(TenantTemplates templates, long version, long checkedAt) {
  }

  public TemplateRegistry(Pool pool, long ttlMs) {
    this.pool = pool;
    this.ttlMs = ttlMs;
  }

  /** The tenant's registry, from the cache while it is fresh. */
  public Future<TenantTemplates> of(String tenantId) {
    Entry e = cache.get(tenantId);
    if (e != null && System.currentTimeMillis() - e.checkedAt < ttlMs) {
      return Future.succeededFuture(e.templates);
    }
    Future<TenantTemplates> running = refreshing.get(tenantId);
    if (running != null) {
      return running;
    }
    Future<TenantTemplates> refresh = refresh(tenantId, e);
    Future<TenantTemplates> raced = refreshing.putIfAbsent(tenantId, refresh);
    if (raced != null) {
      return raced;
    }
    refresh.onComplete(ar -> refreshing.remove(tenantId, refresh));
    return refresh;
  }

  /** Forgets the tenant's entry: the next request loads what this process just changed. */
  public void invalidate(String tenantId) {
    invalidations.merge(tenantId, 1L, Long::sum);
    cache.remove(tenantId);
    refreshing.remove(tenantId);
  }

  private Future<TenantTemplates> refresh(String tenantId, Entry old) {
    long started = System.currentTimeMillis();
    long generation = invalidations.getOrDefault(tenantId, 0L);
    Future<TenantTemplates> loaded = pool.preparedQuery(TemplateSql.VERSION).execute(Tuple.of(tenantId))
        .compose(rows -> {
          if (rows.size() == 0) {
            // No such tenant (deleted while a key was cached): an empty registry.
            return Future.succeededFuture(new Entry(TenantTemplates.of(null, true, java.util.List.of()), -1, started));
          }
          Row r = rows.iterator().next();
          String defaultLanguage = r.getString(0);
          boolean allow = !"refuse".equals(r.getString(1));
          long version = r.getLong(2);
          if (old != null && old.version == version) {
            return Future.succeededFuture(new Entry(old.templates.withSettings(defaultLanguage, allow), version,
                started));
          }
          return pool.preparedQuery(TemplateSql.LOAD).execute(Tuple.of(tenantId)).map(all ->
              new Entry(TenantTemplates.of(defaultLanguage, allow, TemplateRows.all(all)), version, started));
        })
        .map(entry -> {
          if (invalidations.getOrDefault(tenantId, 0L) == generation) {
            cache.put(tenantId, entry);
          }
          return entry.templates;
        });
    if (old == null) {
      return loaded;
    }
    return loaded.recover(err -> {
      log.warn("templates: registry of tenant {} not refreshed, using the one loaded {} ms ago: {}", tenantId,
          started - old.checkedAt, err.toString());
      return Future.succeededFuture(old.templates);
    });
  }
}
