-- Campaigns (docs/CAMPAIGNS.md): owned by the campaigns module (CampaignSql, RecipientRows).
-- A campaign is its content as requested and as queued, its lifecycle, its upload counts, and the
-- feeder's position: recipients up to fed_seq are in Kafka; (fed_seq, pending_seq] are written as
-- message rows and maybe published, not yet confirmed (a feeder that takes over publishes them again,
-- as the same chunks with the same ids, which the router's ledger settles).
create table campaigns (
  id               text primary key,
  tenant_id        text not null references tenants (id),
  name             text not null,
  state            text not null check (state in ('draft', 'scheduled', 'sending', 'paused', 'completed',
                                                  'cancelled')),
  channel          text not null,
  priority         text not null,
  provider         text,
  send_at          timestamptz,
  max_rate_per_sec integer,
  request          jsonb not null,
  content          jsonb not null,
  metadata         jsonb,
  recipients       bigint not null default 0,
  rejected         bigint not null default 0,
  duplicates       bigint not null default 0,
  suppressed       bigint not null default 0,
  last_seq         bigint not null default 0,
  fed_seq          bigint not null default 0,
  pending_seq      bigint,
  pending_index    integer,
  fed              bigint not null default 0,
  chunks_fed       integer not null default 0,
  lease_owner      text,
  lease_until      timestamptz,
  transitions      jsonb not null default '[]',
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  started_at       timestamptz,
  completed_at     timestamptz
);
create index campaigns_tenant on campaigns (tenant_id, id);
create index campaigns_to_feed on campaigns (send_at) where state in ('scheduled', 'sending');

-- The uploaded list: one row per unique address (address_key is the address in suppression form,
-- emails lower-cased), in upload order (seq). Written by uploads in one transaction each, read by the
-- feeder by seq.
create table campaign_recipients (
  campaign_id text not null,
  seq         bigint not null,
  recipient   text not null,
  address_key text not null,
  data        jsonb,
  metadata    jsonb,
  primary key (campaign_id, seq)
);
create unique index campaign_recipients_address on campaign_recipients (campaign_id, address_key);
