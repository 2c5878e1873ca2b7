package dev.esprouter.router.store;

/** The router's SQL, one named constant per statement; every bulk statement takes unnest arrays (one round trip per chunk). */
public final class RouterSql {

  private RouterSql() {
  }

  /**
   * Marks the chunk's recipients {@code sending} (inserting rows ingress has not written yet) and
   * says, per recipient, whether this process now owns it. A row is taken when it is below
   * {@code sending}, or {@code sending} with an expired lease (its owner died or was rebalanced
   * away mid-send). The last two columns are the row as it was before this statement (same snapshot).
   */
  static final String CLAIM = """
      with input as (
        select * from unnest($1::text[], $2::text[], $3::text[]) as t(id, recipient, metadata)
      ), claimed as (
        insert into messages as m (id, tenant_id, batch_id, chunk_index, channel, recipient, status, attempts,
                                   metadata, priority, send_at)
        select i.id, $4, $5, $6, $7, i.recipient, 'sending', $8, i.metadata::jsonb, $9, $10::timestamptz from input i
        on conflict (id) do update set status = 'sending', attempts = greatest(m.attempts, excluded.attempts),
                                       updated_at = now()
        where esp_status_rank(m.status) < 1
           or (m.status = 'sending' and m.updated_at < now() - make_interval(secs => $11::double precision))
        returning m.id
      )
      select i.id, c.id is not null as claimed, old.status,
             (extract(epoch from old.updated_at) * 1000)::bigint as updated_ms
      from input i left join claimed c on c.id = i.id left join messages old on old.id = i.id
      """;

  /**
   * Everything routing one chunk changed, in one atomic statement: final message statuses (forward
   * only, except {@code sending → queued} for recipients going to send.retry), the router's events,
   * the weights used for the chunk, and dead letters. The {@code sent} counters of
   * {@code provider_stats} are not here: every chunk would update the same few rows and hold their
   * locks until its commit, so concurrent chunks (and high-priority singles) would queue behind each
   * other's commits; {@link SentStats} adds them up in memory and writes them once a second.
   */
  static final String RECORD = """
      with input as (
        select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
          as t(id, status, provider, provider_message_id, last_error, recipient)
      ), msgs as (
        insert into messages as m (id, tenant_id, batch_id, chunk_index, channel, recipient, status, provider,
                                   provider_message_id, attempts, last_error, priority, sent_at)
        select i.id, $7, $8, $9, $10, i.recipient, i.status, i.provider, i.provider_message_id, $11, i.last_error, $12,
               case when i.status = 'sent' then now() end
        from input i
        on conflict (id) do update set status = excluded.status,
               provider = coalesce(excluded.provider, m.provider),
               provider_message_id = coalesce(excluded.provider_message_id, m.provider_message_id),
               last_error = excluded.last_error,
               attempts = greatest(m.attempts, excluded.attempts),
               sent_at = coalesce(m.sent_at, excluded.sent_at),
               updated_at = now()
        where esp_status_rank(m.status) < esp_status_rank(excluded.status)
           or (m.status = 'sending' and excluded.status = 'queued')
        returning 1
      ), events as (
        insert into message_events (message_id, provider, type, occurred_at, detail)
        select e.message_id, e.provider, e.type, now(), e.detail::jsonb
        from unnest($13::text[], $14::text[], $15::text[], $16::text[]) as e(message_id, provider, type, detail)
        returning 1
      ), chunk as (
        insert into batch_chunks (batch_id, chunk_index, attempt, channel, recipients, weights, split)
        select $8, $9, $11 - 1, $10, $19, $17::text::jsonb, $18::text::jsonb where $8::text is not null and $17::text is not null
        on conflict (batch_id, chunk_index, attempt) do update set weights = excluded.weights, split = excluded.split,
               recipients = excluded.recipients, sent_at = now()
        returning 1
      ), dead as (
        insert into dead_letters as d (message_id, tenant_id, batch_id, channel, recipient, priority, provider,
                                       campaign_id, attempts, reason, last_error, content, data, metadata)
        select x.id, $7, $8, $10, x.recipient, $12, $21, $22, $11, x.reason, x.last_error, $20::text::jsonb,
               x.data::jsonb, x.metadata::jsonb
        from unnest($23::text[], $24::text[], $25::text[], $26::text[], $27::text[], $28::text[])
          as x(id, reason, last_error, recipient, data, metadata)
        on conflict (message_id) do update set reason = excluded.reason, last_error = excluded.last_error,
               attempts = excluded.attempts, content = excluded.content, data = excluded.data,
               metadata = excluded.metadata, created_at = now(), requeued_at = null
        returning 1
      )
      select (select count(*) from msgs) as messages, (select count(*) from events) as events,
             (select count(*) from dead) as dead
      """;

  /** The {@code sent} counters of one flush of {@link SentStats}: (provider, minute, count) arrays. */
  static final String ADD_SENT = """
      insert into provider_stats as s (provider, bucket, sent)
      select x.provider, x.bucket, x.n from unnest($1::text[], $2::timestamptz[], $3::bigint[]) as x(provider, bucket, n)
      on conflict (provider, bucket) do update set sent = s.sent + excluded.sent
      """;

  /** When the batch's latest earlier chunk went out (the next chunk's weights learn from there on). */
  static final String PREVIOUS_CHUNK_SENT_AT =
      "select max(sent_at) from batch_chunks where batch_id = $1 and chunk_index < $2";

  public static final String DLQ_PAGE = """
      select message_id, batch_id, channel, recipient, priority, provider, attempts, reason, last_error, created_at,
             metadata
      from dead_letters
      where tenant_id = $1 and requeued_at is null and message_id > $2
      order by message_id limit $3
      """;

  /** Takes a dead letter back (row locked until the requeue record is in Kafka). */
  public static final String DLQ_TAKE = """
      update dead_letters set requeued_at = now()
      where tenant_id = $1 and message_id = $2 and requeued_at is null
      returning message_id, batch_id, channel, recipient, priority, provider, campaign_id, content, data, metadata
      """;

  /** A requeued message starts over: back to {@code queued} (the one move against the rank order). */
  public static final String DLQ_REQUEUE_MESSAGE = """
      update messages set status = 'queued', last_error = null, updated_at = now()
      where id = $1 and status in ('dead', 'failed')
      """;

  static final String SCHEDULE = "insert into scheduled_chunks (due_at, topic, key, chunk) values ($1, $2, $3, $4::text::jsonb)";

  static final String DUE_CHUNKS = """
      select id, topic, key, chunk::text from scheduled_chunks where due_at <= now()
      order by due_at limit 100 for update skip locked
      """;

  static final String DELETE_SCHEDULED = "delete from scheduled_chunks where id = any($1::bigint[])";

  static final String NEXT_DUE = "select (extract(epoch from min(due_at)) * 1000)::bigint from scheduled_chunks";
}
