-- Core schema shared by the modules. Each module adds its own tables in its own version range:
-- common V1.x, ingress V2.x, router V3.x, analytics V4.x.

-- The rank of a message status; updates only ever move to a higher rank (MessageStatus.java).
create function esp_status_rank(status text) returns int
language sql immutable parallel safe as $$
  select case status
    when 'queued' then 0 when 'sending' then 1 when 'sent' then 2 when 'delivered' then 3
    when 'opened' then 4 when 'clicked' then 5
    when 'bounced' then 6 when 'failed' then 6 when 'suppressed' then 6 when 'dead' then 6
    when 'complained' then 7
    else -1 end
$$;

create table tenants (
  id                 text primary key,
  name               text not null unique,
  rate_limit_per_sec integer,
  created_at         timestamptz not null default now()
);

-- Only a SHA-256 of each key is kept; prefix is a short, indexed, non-secret part of the key so
-- authentication finds its row without scanning.
create table api_keys (
  id         text primary key,
  tenant_id  text not null references tenants (id),
  prefix     text not null,
  key_hash   bytea not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index api_keys_prefix on api_keys (prefix);

create table batches (
  id           text primary key,
  tenant_id    text not null references tenants (id),
  channel      text not null,
  priority     text not null,
  recipients   integer not null,
  rejected     integer not null default 0,
  chunk_count  integer not null,
  provider     text,
  send_at      timestamptz,
  campaign_id  text,
  created_at   timestamptz not null default now()
);
create index batches_tenant on batches (tenant_id, created_at);

-- One row per message to one recipient. Written in bulk (one statement per chunk), never a round
-- trip per recipient.
create table messages (
  id                  text primary key,
  tenant_id           text not null,
  batch_id            text,
  chunk_index         integer not null default 0,
  channel             text not null,
  recipient           text not null,
  status              text not null,
  provider            text,
  provider_message_id text,
  attempts            integer not null default 0,
  last_error          text,
  metadata            jsonb,
  priority            text not null default 'normal',
  send_at             timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  sent_at             timestamptz
);
create index messages_batch on messages (batch_id, id) where batch_id is not null;
create index messages_provider_id on messages (provider, provider_message_id) where provider_message_id is not null;
create index messages_tenant on messages (tenant_id, id);

-- The timeline of one message: what the router did and what the provider reported.
create table message_events (
  id          bigserial primary key,
  message_id  text not null,
  provider    text,
  type        text not null,
  occurred_at timestamptz not null,
  detail      jsonb,
  dedupe_key  text
);
create index message_events_message on message_events (message_id, occurred_at);
create unique index message_events_dedupe on message_events (provider, dedupe_key) where dedupe_key is not null;

-- Per provider, per minute counters; the weights read these, never raw events.
create table provider_stats (
  provider              text not null,
  bucket                timestamptz not null,
  sent                  bigint not null default 0,
  delivered             bigint not null default 0,
  opened                bigint not null default 0,
  clicked               bigint not null default 0,
  deferred              bigint not null default 0,
  bounced               bigint not null default 0,
  bounced_recipient     bigint not null default 0,
  complained            bigint not null default 0,
  failed                bigint not null default 0,
  failed_recipient      bigint not null default 0,
  primary key (provider, bucket)
);

-- A hard bounce or spam complaint stops further sends to that address for that tenant.
create table suppressions (
  tenant_id  text not null,
  channel    text not null,
  address    text not null,
  reason     text not null,
  provider   text,
  message_id text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, channel, address)
);
