-- The router's ledger (docs/LEDGER.md): what it decided for each delivery of a chunk and what it
-- asked each provider, written before each call (its intent) and as soon as each call is answered
-- (its outcome). A chunk delivered again (crash, rebalance, a failed write) reads it and sends only
-- what no provider has accepted. One row per chunk and one per provider call, with the recipients
-- as an array: a few statements per 500 recipients, never a row per recipient. The router is the
-- only writer of these tables.

create table send_chunks (
  chunk_key   text not null,
  attempt     integer not null,
  tenant_id   text,
  batch_id    text,
  chunk_index integer not null default 0,
  campaign_id text,
  channel     text not null,
  recipients  integer not null,
  weights     jsonb,
  split       jsonb,
  incarnation text not null,
  -- routing: being sent (or its owner died); done: every recipient placed
  state       text not null default 'routing',
  -- at done, what is not a provider answer: recipients sent to retry, dead, failed before any call,
  -- cancelled ({"retry": {"ids", "reason", "not_before"}, ...}); a redelivered done chunk re-publishes
  -- its facts and retry record from here and from its calls
  placed      jsonb,
  created_at  timestamptz not null default now(),
  done_at     timestamptz,
  primary key (chunk_key, attempt)
) with (fillfactor = 70);
-- GET /v1/batches/{id} shows the weights of each chunk.
create index send_chunks_batch on send_chunks (batch_id, chunk_index) where batch_id is not null;
create index send_chunks_created on send_chunks using brin (created_at);

create table send_calls (
  chunk_key    text not null,
  attempt      integer not null,
  call_no      integer not null,
  incarnation  text not null,
  provider     text not null,
  message_ids  text[] not null,
  -- null until answered; then one letter per message id: a = accepted, r = refused for good,
  -- t = transient (failed over or retried), n = not sent (the call was never made)
  results      text,
  -- the provider's ids, separated by U+001F: one per message, or one shared by all, or empty
  provider_ids text,
  -- the provider's reason per message, separated by U+001F (empty for accepted ones)
  reasons      text,
  created_at   timestamptz not null default now(),
  answered_at  timestamptz,
  primary key (chunk_key, attempt, call_no)
) with (fillfactor = 70);
create index send_calls_created on send_calls using brin (created_at);

-- Each router process, while it lives: an open intent of an incarnation that stopped or stopped
-- beating is a call whose outcome will never be written (the process died mid-call).
create table router_incarnations (
  incarnation  text primary key,
  instance_id  text not null,
  started_at   timestamptz not null default now(),
  heartbeat_at timestamptz not null default now(),
  stopped_at   timestamptz
);
create index router_incarnations_instance on router_incarnations (instance_id) where stopped_at is null;

insert into send_chunks (chunk_key, attempt, batch_id, chunk_index, channel, recipients, weights, split, incarnation,
                         state, created_at, done_at)
select batch_id || '/' || chunk_index, attempt, batch_id, chunk_index, channel, recipients, weights, split, 'migrated',
       'done', sent_at, sent_at
from batch_chunks;
drop table batch_chunks;
