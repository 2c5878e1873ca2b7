-- Analytics: provider events whose message is not (yet) known are kept here, counted, and checked
-- again with backoff (the router's row may land after the webhook). next_check_at null = gave up
-- re-checking; the row stays for operators.
create table unmatched_events (
  provider      text not null,
  dedupe_key    text not null,
  event         jsonb not null,
  received_at   timestamptz not null default now(),
  attempts      integer not null default 0,
  next_check_at timestamptz,
  primary key (provider, dedupe_key)
);
create index unmatched_events_due on unmatched_events (next_check_at) where next_check_at is not null;

-- The weights read the recent minute buckets of every provider by time.
create index provider_stats_bucket on provider_stats (bucket);

-- Telegram reports a blocked bot by chat only: the event is tied to the latest message to that chat.
create index messages_telegram_recipient on messages (recipient, created_at desc) where provider = 'telegram';

-- Status updates (router and analytics) rewrite message rows; free space on each page lets them
-- stay on the page without touching the indexes (HOT updates). Affects pages written from now on.
alter table messages set (fillfactor = 85);
