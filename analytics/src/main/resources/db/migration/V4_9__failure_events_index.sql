-- The dashboard's "recent failures, newest first": only failure events are in this index, so the
-- newest page is read from its head however many delivered/opened rows the timeline holds, and
-- routine events pay no extra index write.
create index message_events_failures on message_events (occurred_at desc, message_id desc)
  where type in ('failed', 'bounced', 'dropped', 'complained', 'blocked', 'dead');
