-- Ingress: Idempotency-Key records (Stripe semantics). One row per tenant and key; the first
-- request claims it (response null while in flight), then stores its answer for replays. Rows
-- older than 24 h no longer count and are removed by a periodic sweep.
create table idempotency_keys (
  tenant_id    text not null,
  key          text not null,
  request_hash bytea not null,
  status       integer,
  response     jsonb,
  created_at   timestamptz not null default now(),
  primary key (tenant_id, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);
