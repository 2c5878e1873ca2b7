-- Router tables (version range V3.x).

-- One row per chunk (and attempt) of a batch the router routed: the weights it used, how many
-- recipients each provider got, and when it went out. GET /v1/batches/{id} shows the weights; the
-- next chunk of the batch asks for weights learned since the previous chunk's sent_at.
create table batch_chunks (
  batch_id     text not null,
  chunk_index  integer not null,
  attempt      integer not null,
  channel      text not null,
  recipients   integer not null,
  weights      jsonb not null,
  split        jsonb not null,
  sent_at      timestamptz not null default now(),
  primary key (batch_id, chunk_index, attempt)
);

-- Recipients that exhausted their attempts (reason 'exhausted', status dead) or hit a permanent
-- error (reason 'permanent', status failed), with what is needed to send them again on requeue.
create table dead_letters (
  message_id   text primary key,
  tenant_id    text not null,
  batch_id     text,
  channel      text not null,
  recipient    text not null,
  priority     text not null,
  provider     text,
  campaign_id  text,
  attempts     integer not null,
  reason       text not null,
  last_error   text,
  content      jsonb not null,
  data         jsonb,
  metadata     jsonb,
  created_at   timestamptz not null default now(),
  requeued_at  timestamptz
);
create index dead_letters_tenant on dead_letters (tenant_id, message_id) where requeued_at is null;

-- Chunks whose send_at is further away than the router holds a partition for; a timer re-publishes
-- each when it is due.
create table scheduled_chunks (
  id       bigserial primary key,
  due_at   timestamptz not null,
  topic    text not null,
  key      text not null,
  chunk    jsonb not null
);
create index scheduled_chunks_due on scheduled_chunks (due_at);
