package dev.esprouter.ingress.templates;

/**
 * Every statement of the template registry. A statement that changes a tenant's templates bumps that
 * tenant's {@code template_versions} row in the same statement (a data-modifying CTE), so a cache
 * elsewhere sees the change with one small read ({@link #VERSION}).
 */
final class TemplateSql {

  static final String COLUMNS = "id, tenant_id, channel, name, language, status, category, body, reason, meta_id, "
      + "created_at, updated_at";

  /** Bumps the version of every tenant in CTE {@code changed} (a column {@code tenant_id}). */
  private static final String BUMP = "v as (insert into template_versions (tenant_id, version) "
      + "select distinct tenant_id, 1 from changed on conflict (tenant_id) do update "
      + "set version = template_versions.version + 1)";

  static final String INSERT = "with changed as (insert into templates (id, tenant_id, channel, name, language, status, "
      + "category, body) values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) returning *), " + BUMP
      + " select " + COLUMNS + " from changed";

  static final String GET = "select " + COLUMNS + " from templates where id = $1 and tenant_id = $2";

  static final String LIST = "select " + COLUMNS + " from templates where tenant_id = $1 "
      + "and ($2::text is null or channel = $2) and ($3::text is null or status = $3) "
      + "and ($4::text is null or name = $4) and ($5::text is null or id > $5) order by id limit $6";

  /** New content; a WhatsApp template only while it is a draft (Meta reviews what it was sent). */
  static final String UPDATE_CONTENT = "with changed as (update templates set category = $3, body = $4::jsonb, "
      + "updated_at = now() where id = $1 and tenant_id = $2 and (channel <> 'whatsapp' or status = 'draft') "
      + "returning *), " + BUMP + " select " + COLUMNS + " from changed";

  static final String DELETE = "with changed as (delete from templates where id = $1 and tenant_id = $2 "
      + "returning tenant_id), " + BUMP + " select count(*) from changed";

  /** Claims a draft for submission; the time lets a status webhook that beats Meta's answer find it. */
  static final String MARK_SUBMITTING = "update templates set submitted_at = now() where id = $1 and tenant_id = $2 "
      + "and channel = 'whatsapp' and status = 'draft' and meta_id is null returning " + COLUMNS;

  static final String UNMARK_SUBMITTING = "update templates set submitted_at = null where id = $1 and status = 'draft' "
      + "and meta_id is null";

  /** Meta's answer to the submission: its id and first status (unless a webhook got there first). */
  static final String SUBMITTED = "with changed as (update templates set meta_id = $2, status = $3, reason = $4, "
      + "updated_at = now() where id = $1 and meta_id is null returning *), " + BUMP
      + " select " + COLUMNS + " from changed";

  /** A status update for Meta's template id; no row changes when nothing changed. Gives the tenants changed. */
  static final String STATUS_BY_META_ID = "with changed as (update templates set status = $2, reason = $3, "
      + "updated_at = now() where channel = 'whatsapp' and meta_id = $1 "
      + "and (status is distinct from $2 or reason is distinct from $3) returning tenant_id), " + BUMP
      + " select distinct tenant_id from changed";

  /** A status update that beat the answer of its own submission: matched by name and language. */
  static final String STATUS_BY_NAME = "with changed as (update templates set meta_id = $1, status = $4, reason = $5, "
      + "updated_at = now() where channel = 'whatsapp' and meta_id is null and submitted_at is not null "
      + "and name = $2 and language = $3 returning tenant_id), " + BUMP + " select distinct tenant_id from changed";

  // ---- sync

  static final String ALL_WHATSAPP = "select id, tenant_id, name, language, status, reason, meta_id, "
      + "submitted_at is not null from templates where channel = 'whatsapp'";

  static final String SYNC_UPDATE = "with changed as (update templates t set status = x.status, reason = x.reason, "
      + "meta_id = x.meta_id, updated_at = now() from unnest($1::text[], $2::text[], $3::text[], $4::text[]) "
      + "as x(id, status, reason, meta_id) where t.id = x.id returning t.tenant_id), " + BUMP
      + " select distinct tenant_id from changed";

  static final String IMPORT = "with changed as (insert into templates (id, tenant_id, channel, name, language, status, "
      + "category, body, reason, meta_id) select x.id, $1, 'whatsapp', x.name, x.language, x.status, x.category, "
      + "x.body::jsonb, x.reason, x.meta_id from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], "
      + "$7::text[], $8::text[], $9::text[]) as x(id, name, language, status, category, body, reason, meta_id) "
      + "on conflict do nothing returning tenant_id), " + BUMP + " select count(*) from changed";

  static final String FIND_TENANT = "select id from tenants where id = $1 or name = $1 order by (id = $1) desc limit 1";

  // ---- the registry cache

  static final String VERSION = "select t.default_language, t.whatsapp_unregistered_templates, "
      + "coalesce(v.version, 0) from tenants t left join template_versions v on v.tenant_id = t.id where t.id = $1";

  static final String LOAD = "select " + COLUMNS + " from templates where tenant_id = $1 order by created_at, id";

  private TemplateSql() {
  }
}
