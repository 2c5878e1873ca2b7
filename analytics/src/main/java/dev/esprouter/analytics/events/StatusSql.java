package dev.esprouter.analytics.events;

/**
 * The status writer's SQL (V4_1__status_writer.sql): one statement per table per poll, every one of
 * them over {@code unnest} arrays, rows in message-id order so that two writers (two polls at once,
 * two processes) always lock in the same order and never deadlock.
 */
final class StatusSql {

  private StatusSql() {
  }

  /**
   * Appends timeline rows; an event seen before (same message and dedupe key) changes nothing.
   * Returns the rows that are new.
   */
  static final String INSERT_EVENTS = """
      insert into message_events (message_id, provider, type, occurred_at, detail, dedupe_key)
      select m, p, t, o, d::jsonb, k
      from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[]) as x(m, p, t, o, d, k)
      order by m, k
      on conflict (message_id, dedupe_key) do nothing
      returning message_id, dedupe_key
      """;

  /**
   * Moves statuses forward, one row per message (merged in memory first). A message the writer has
   * not seen is inserted; an existing one takes the higher-ranked status ({@code esp_status_rank}) and
   * fills what it lacks (tenant, batch, provider and its id — the router's {@code sent} fact names the
   * provider that accepted, so it wins over an earlier event's); attempts only grow. Returns each row
   * changed, as it is now and (from the snapshot before) as it was, for the batch counters, and whether
   * it was just recorded as sent (its {@code sent_at} set now: counted once in the {@code sent} stats,
   * whatever order the router's fact and the provider's events came in).
   */
  static final String UPSERT_STATUS = """
      with input as (
        select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
                             $8::text[], $9::timestamptz[])
          as t(id, tenant_id, batch_id, status, provider, provider_message_id, attempts, last_error, sent_at)
      ), old as (
        select s.id, s.batch_id, s.status, s.provider, s.sent_at from message_status s join input i on i.id = s.id
      ), up as (
        insert into message_status as s (id, tenant_id, batch_id, status, provider, provider_message_id, attempts,
                                         last_error, sent_at, updated_at)
        select id, tenant_id, batch_id, status, provider, provider_message_id, attempts, last_error, sent_at, now()
        from input order by id
        on conflict (id) do update set
          status = case when esp_status_rank(excluded.status) > esp_status_rank(s.status) then excluded.status
                        else s.status end,
          tenant_id = coalesce(s.tenant_id, excluded.tenant_id),
          batch_id = coalesce(s.batch_id, excluded.batch_id),
          provider = case when excluded.status = 'sent' and excluded.provider is not null then excluded.provider
                          else coalesce(s.provider, excluded.provider) end,
          provider_message_id = case when excluded.status = 'sent' and excluded.provider_message_id is not null
                                     then excluded.provider_message_id
                                     else coalesce(s.provider_message_id, excluded.provider_message_id) end,
          attempts = greatest(s.attempts, excluded.attempts),
          last_error = case when esp_status_rank(excluded.status) >= esp_status_rank(s.status)
                            then coalesce(excluded.last_error, s.last_error) else s.last_error end,
          sent_at = coalesce(s.sent_at, excluded.sent_at),
          updated_at = now()
        where esp_status_rank(excluded.status) > esp_status_rank(s.status)
           or (s.batch_id is null and excluded.batch_id is not null)
           or (s.tenant_id is null and excluded.tenant_id is not null)
           or (s.provider is null and excluded.provider is not null)
           or (excluded.status = 'sent' and excluded.provider is distinct from s.provider and excluded.provider is not null)
           or (s.provider_message_id is null and excluded.provider_message_id is not null)
           or excluded.attempts > s.attempts
           or (s.sent_at is null and excluded.sent_at is not null)
        returning s.id, s.batch_id, s.status, s.provider, s.sent_at
      )
      select u.id, u.batch_id, u.status, u.provider, o.batch_id, o.status, o.provider,
             u.sent_at is not null and o.sent_at is null as newly_sent
      from up u left join old o on o.id = u.id
      """;

  /**
   * A DLQ requeue: a dead or failed message starts over ({@code queued}, the one move against the rank
   * order). Returns the rows moved as they were, for the batch counters.
   */
  static final String REQUEUE = """
      with old as (
        select id, batch_id, status, provider from message_status
        where id = any($1::text[]) and status in ('dead', 'failed') order by id for update
      )
      update message_status s set status = 'queued', last_error = null, updated_at = now()
      from old where s.id = old.id
      returning old.id, old.batch_id, old.status, old.provider
      """;

  /** Adds the poll's counter deltas, per (batch, status, provider), sorted. */
  static final String COUNTERS = """
      insert into batch_counters as c (batch_id, status, provider, n)
      select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) as d(batch_id, status, provider, n)
      order by 1, 2, 3
      on conflict (batch_id, status, provider) do update set n = c.n + excluded.n
      """;

  static final String SUPPRESS = """
      insert into suppressions (tenant_id, channel, address, reason, provider, message_id)
      select distinct on (t, c, a) t, c, a, r, p, m
      from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as s(t, c, a, r, p, m)
      order by t, c, a
      on conflict (tenant_id, channel, address) do nothing
      """;

  /** Events whose message cannot be told yet (a Telegram chat with no message); re-checked with backoff. */
  static final String KEEP_UNMATCHED = """
      insert into unmatched_events (provider, dedupe_key, event, next_check_at)
      select p, k, e::jsonb, now() + make_interval(secs => $4::float8 / 1000)
      from unnest($1::text[], $2::text[], $3::text[]) as u(p, k, e)
      on conflict (provider, dedupe_key) do nothing
      returning provider, dedupe_key
      """;

  /** Kept-aside events that found their message: they were counted in the stats when kept aside. */
  static final String FORGET_UNMATCHED = """
      delete from unmatched_events u using unnest($1::text[], $2::text[]) as k(p, d)
      where u.provider = k.p and u.dedupe_key = k.d
      """;
}
