package dev.esprouter.router.store;

/**
 * The router's SQL besides its ledger ({@code ledger.LedgerSql}): dead letters and parked chunks. Every
 * bulk statement takes unnest arrays (one round trip per chunk).
 */
public final class RouterSql {

  private RouterSql() {
  }

  /**
   * Dead letters of one chunk in one statement: recipients that exhausted their attempts
   * ({@code exhausted}) or were refused for good ({@code permanent}), with what is needed to send
   * them again on requeue. Written again unchanged when a chunk is redelivered.
   */
  static final String DEAD_LETTERS = """
      insert into dead_letters as d (message_id, tenant_id, batch_id, channel, recipient, priority, provider,
                                     campaign_id, attempts, reason, last_error, content, data, metadata)
      select x.id, $1, $2, $3, x.recipient, $4, $5, $6, $7, x.reason, x.last_error, $8::text::jsonb,
             x.data::jsonb, x.metadata::jsonb
      from unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
        as x(id, reason, last_error, recipient, data, metadata)
      on conflict (message_id) do update set reason = excluded.reason, last_error = excluded.last_error,
             attempts = excluded.attempts, content = excluded.content, data = excluded.data,
             metadata = excluded.metadata, created_at = now(), requeued_at = null
      """;

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

  static final String SCHEDULE = "insert into scheduled_chunks (due_at, topic, key, chunk) values ($1, $2, $3, $4::text::jsonb)";

  static final String DUE_CHUNKS = """
      select id, topic, key, chunk::text from scheduled_chunks where due_at <= now()
      order by due_at limit 100 for update skip locked
      """;

  static final String DELETE_SCHEDULED = "delete from scheduled_chunks where id = any($1::bigint[])";

  static final String NEXT_DUE = "select (extract(epoch from min(due_at)) * 1000)::bigint from scheduled_chunks";
}
