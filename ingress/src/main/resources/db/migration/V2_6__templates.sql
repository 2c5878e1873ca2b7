-- Ingress: the template registry (docs/TEMPLATES.md). One row per template in one language: a
-- WhatsApp template is Meta's (name, language) with its own review status and Meta id; a Telegram
-- or email template is usable ('active') as soon as it is stored. Languages are canonical BCP 47
-- (pt-BR). Only ingress writes these tables.
create table templates (
  id           text primary key,
  tenant_id    text not null references tenants (id),
  channel      text not null,
  name         text not null,
  language     text not null,
  status       text not null check (status in ('draft', 'in_review', 'approved', 'rejected', 'paused', 'disabled',
                                                'active')),
  category     text,
  -- The channel's content: WhatsApp {category, components}; Telegram {text, parse_mode, defaults};
  -- email {subject, html, text (jte sources), rendered {subject, html, text}, params, defaults}.
  body         jsonb not null,
  reason       text,
  meta_id      text,
  submitted_at timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (tenant_id, channel, name, language)
);
create index templates_tenant on templates (tenant_id, id);
create unique index templates_meta_id on templates (meta_id) where meta_id is not null;
create index templates_whatsapp_name on templates (name, language) where channel = 'whatsapp';

-- Bumped in the statement that changes a tenant's templates, so every process's cache sees a change
-- with one small read (TemplateRegistry) instead of reloading the templates.
create table template_versions (
  tenant_id text primary key references tenants (id),
  version   bigint not null
);

-- Tenant settings of the registry: the language a template falls back to before its first one, and
-- whether a WhatsApp send may name a template the registry does not know (Meta checks it then).
alter table tenants add column default_language text;
alter table tenants add column whatsapp_unregistered_templates text not null default 'allow'
  check (whatsapp_unregistered_templates in ('allow', 'refuse'));

-- The language a message's content was actually sent in (after fallback), written at accept.
alter table messages add column language text;
