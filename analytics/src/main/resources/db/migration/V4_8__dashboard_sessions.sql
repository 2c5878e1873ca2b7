-- Signed-in dashboard sessions (analytics/http). The browser holds a random id in an HttpOnly,
-- SameSite=Strict cookie; only its SHA-256 is stored, so reading this table gives no usable session.
-- tenant_id null is the operator (ESP_ADMIN_TOKEN). credential_hash is the SHA-256 of the key or
-- token signed in with: a revoked key or a changed admin token ends the session at its next request.
create table dashboard_sessions (
  id_hash          bytea primary key,
  tenant_id        text,
  credential_hash  bytea not null,
  csrf_token       text not null,
  created_at       timestamptz not null default now(),
  expires_at       timestamptz not null,
  max_expires_at   timestamptz not null
);
create index dashboard_sessions_expiry on dashboard_sessions (expires_at);
