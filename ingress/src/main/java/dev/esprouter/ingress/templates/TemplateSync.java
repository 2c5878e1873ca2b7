package dev.esprouter.ingress.templates;

import dev.esprouter.common.Ids;
import dev.esprouter.providers.meta.MetaTemplateApi.MetaTemplate;
import dev.esprouter.providers.meta.MetaTemplateStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every template of the WhatsApp Business Account from Meta and brings the registry in line,
 * so a lost status webhook costs at most one sync interval: a template whose status differs is
 * updated; one being submitted whose answer was lost gets its Meta id; one Meta no longer has is
 * {@code disabled} ("deleted at Meta"); one that exists only at Meta is imported into the import
 * tenant ({@code ESP_TEMPLATES_IMPORT_TENANT}) with Meta's status and components. One statement for
 * the updates and one for the imports, whatever the number of templates.
 */
final class TemplateSync {

  private static final Logger log = LoggerFactory.getLogger(TemplateSync.class);

  private final Pool pool;
  private final MetaTemplateClient meta;
  private final TemplateRegistry registry;
  private final Optional<String> importTenant;

  TemplateSync(Pool pool, MetaTemplateClient meta, TemplateRegistry registry, Optional<String> importTenant) {
    this.pool = pool;
    this.meta = meta;
    this.registry = registry;
    this.importTenant = importTenant;
  }

  private record Known(String id, String tenantId, String name, String language, String status, String reason,
                       String metaId, boolean submitting) {
  }

  Future<SyncResult> once() {
    Future<MetaTemplateClient.Listing> remote = meta.listAll();
    Future<List<Known>> local = pool.query(TemplateSql.ALL_WHATSAPP).execute().map(rows -> {
      List<Known> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new Known(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
            r.getString(5), r.getString(6), r.getBoolean(7)));
      }
      return out;
    });
    Future<String> tenant = importTenant.isEmpty() ? Future.succeededFuture(null)
        : pool.preparedQuery(TemplateSql.FIND_TENANT).execute(Tuple.of(importTenant.get()))
            .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    return Future.all(remote, local, tenant).compose(v -> apply(remote.result(), local.result(), tenant.result()));
  }

  private Future<SyncResult> apply(MetaTemplateClient.Listing listing, List<Known> local, String importInto) {
    List<MetaTemplate> remote = listing.templates();
    Map<String, Known> byMetaId = new HashMap<>();
    Set<String> names = new HashSet<>();
    for (Known k : local) {
      if (k.metaId() != null) {
        byMetaId.put(k.metaId(), k);
      }
      names.add(k.name() + "\u0000" + k.language());
    }
    List<String[]> updates = new ArrayList<>();
    List<MetaTemplate> imports = new ArrayList<>();
    Set<String> atMeta = new HashSet<>();
    for (MetaTemplate m : remote) {
      atMeta.add(m.id());
      String status = MetaTemplateStatus.registryStatus(m.status());
      if (status == null) {
        continue;
      }
      String reason = reason(status, m.rejectedReason());
      Known k = byMetaId.get(m.id());
      if (k == null) {
        k = local.stream().filter(x -> x.metaId() == null && x.submitting() && x.name().equals(m.name())
            && x.language().equals(m.language())).findFirst().orElse(null);
        if (k != null) {
          updates.add(new String[] {k.id(), status, reason, m.id()});
        } else if (!names.contains(m.name() + "\u0000" + m.language())) {
          imports.add(m);
        }
        continue;
      }
      if (!status.equals(k.status())) {
        updates.add(new String[] {k.id(), status, reason, m.id()});
      }
    }
    // Only a complete list says a template is gone.
    for (Known k : listing.complete() ? local : List.<Known>of()) {
      if (k.metaId() != null && !atMeta.contains(k.metaId()) && !Template.DISABLED.equals(k.status())) {
        updates.add(new String[] {k.id(), Template.DISABLED, "deleted at Meta", k.metaId()});
      }
    }
    Future<Set<String>> updated = updates.isEmpty() ? Future.succeededFuture(Set.of()) : update(updates);
    Future<Integer> imported = imports.isEmpty() || importInto == null ? Future.succeededFuture(0)
        : insert(importInto, imports);
    return Future.all(updated, imported).map(v -> {
      updated.result().forEach(registry::invalidate);
      if (imported.result() > 0) {
        registry.invalidate(importInto);
      }
      if (!updates.isEmpty() || imported.result() > 0) {
        log.info("templates: sync with Meta updated {} and imported {} of {} templates", updates.size(),
            imported.result(), remote.size());
      }
      return new SyncResult(remote.size(), updates.size(), imported.result());
    });
  }

  private Future<Set<String>> update(List<String[]> rows) {
    String[][] cols = columns(rows, 4);
    return pool.preparedQuery(TemplateSql.SYNC_UPDATE)
        .execute(Tuple.tuple().addArrayOfString(cols[0]).addArrayOfString(cols[1]).addArrayOfString(cols[2])
            .addArrayOfString(cols[3]))
        .map(TemplateStatuses::tenants);
  }

  private Future<Integer> insert(String tenantId, List<MetaTemplate> templates) {
    List<String[]> rows = new ArrayList<>();
    for (MetaTemplate m : templates) {
      String category = m.category() == null ? null : m.category().toLowerCase(Locale.ROOT);
      JsonObject body = new JsonObject().put("category", category).put("components", normalised(m.components()));
      String status = MetaTemplateStatus.registryStatus(m.status());
      rows.add(new String[] {Ids.next("tpl_"), m.name(), m.language(), status, category, body.encode(),
          reason(status, m.rejectedReason()), m.id()});
    }
    String[][] cols = columns(rows, 8);
    Tuple t = Tuple.tuple().addString(tenantId);
    for (String[] col : cols) {
      t.addArrayOfString(col);
    }
    return pool.preparedQuery(TemplateSql.IMPORT).execute(t).map(r -> r.iterator().next().getLong(0).intValue());
  }

  /** Meta's upper-case types and formats as the registry keeps them (lower case). */
  static JsonArray normalised(JsonArray components) {
    JsonArray out = new JsonArray();
    for (Object o : components == null ? new JsonArray() : components) {
      if (!(o instanceof JsonObject c)) {
        continue;
      }
      JsonObject copy = c.copy();
      lower(copy, "type");
      lower(copy, "format");
      if (copy.getValue("buttons") instanceof JsonArray buttons) {
        for (Object b : buttons) {
          if (b instanceof JsonObject button) {
            lower(button, "type");
          }
        }
      }
      out.add(copy);
    }
    return out;
  }

  private static void lower(JsonObject o, String key) {
    if (o.getValue(key) instanceof String s) {
      o.put(key, s.toLowerCase(Locale.ROOT));
    }
  }

  private static String reason(String status, String rejectedReason) {
    return switch (status) {
      case Template.REJECTED -> rejectedReason == null || rejectedReason.equals("NONE") ? null : rejectedReason;
      case Template.PAUSED -> "paused by Meta";
      case Template.DISABLED -> "disabled by Meta";
      default -> null;
    };
  }

  private static String[][] columns(List<String[]> rows, int width) {
    String[][] cols = new String[width][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int c = 0; c < width; c++) {
        cols[c][i] = rows.get(i)[c];
      }
    }
    return cols;
  }
}
