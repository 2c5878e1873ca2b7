-- One owner per table (docs/CONTRACTS.md): a message's status is derived by one writer, the status
-- writer of analytics, from the router's facts (send.outcomes) and the providers' events; ingress
-- keeps the request as accepted in `messages`, written once. This migration hands the status columns
-- over from `messages` to `message_status` and keys the timeline by message and dedupe key.

create or replace function esp_status_rank(status text) returns int
language sql immutable parallel safe as $$
  select case status
    when 'queued' then 0 when 'sending' then 1 when 'sent' then 2 when 'delivered' then 3
    when 'opened' then 4 when 'clicked' then 5
    when 'bounced' then 6 when 'failed' then 6 when 'suppressed' then 6 when 'dead' then 6 when 'cancelled' then 6
    when 'complained' then 7
    else -1 end
$$;

-- One row per message the router has reported on (no row: queued). Updated in place by the status
-- writer only; no index but the key, so updates can stay on their page (HOT).
create table message_status (
  id                  text primary key,
  tenant_id           text,
  batch_id            text,
  status              text not null,
  provider            text,
  provider_message_id text,
  attempts            integer not null default 0,
  last_error          text,
  sent_at             timestamptz,
  updated_at          timestamptz not null default now()
) with (fillfactor = 80);

-- Recipients of a batch (or campaign) per status and provider, kept as statuses move, so that
-- reading the progress of two million recipients costs a handful of rows. `queued` is not counted.
create table batch_counters (
  batch_id text not null,
  status   text not null,
  provider text not null default '',
  n        bigint not null,
  primary key (batch_id, status, provider)
);

insert into message_status (id, tenant_id, batch_id, status, provider, provider_message_id, attempts, last_error,
                            sent_at, updated_at)
select id, tenant_id, batch_id, case when status = 'sending' then 'queued' else status end, provider,
       provider_message_id, attempts, last_error, sent_at, updated_at
from messages where status <> 'queued' or attempts > 0;

insert into batch_counters (batch_id, status, provider, n)
select batch_id, status, coalesce(provider, ''), count(*) from message_status
where batch_id is not null and status <> 'queued' group by 1, 2, 3;

-- The timeline: one index serves reading a message's events and refusing an event seen before.
update message_events set dedupe_key = 'legacy/' || id where dedupe_key is null;
alter table message_events drop constraint message_events_pkey;
drop index message_events_message;
drop index message_events_dedupe;
alter table message_events drop column id;
alter table message_events alter column dedupe_key set not null;
alter table message_events add primary key (message_id, dedupe_key);

-- messages: the request as accepted, written once by ingress.
drop index messages_provider_id;
drop index messages_telegram_recipient;
alter table messages drop column status, drop column provider, drop column provider_message_id,
  drop column attempts, drop column last_error, drop column updated_at, drop column sent_at;
alter table messages reset (fillfactor);
-- A Telegram event names only the chat: it belongs to the latest message to that chat.
create index messages_telegram_chat on messages (recipient, created_at desc) where channel = 'telegram';
