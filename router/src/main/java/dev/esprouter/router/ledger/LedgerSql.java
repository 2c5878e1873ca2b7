package dev.esprouter.router.ledger;

/**
 * The SQL of the router's ledger (V3_1__ledger.sql), one named constant per statement. Lists of
 * message ids, provider ids and reasons travel as one text each, joined by U+001F ({@link #SEP}),
 * which no id or reason contains: arrays of arrays cannot go through {@code unnest}.
 */
final class LedgerSql {

  /** The separator of the joined lists. */
  static final char SEP = '\u001f';

  private LedgerSql() {
  }

  /**
   * One flush of {@link LedgerWriter}: everything the router's chunks asked to make durable since the
   * last one, in one statement and one commit, whatever the number of chunks.
   * <ul>
   *   <li>{@code new_chunks}: chunks delivered for the first time ($1–$10); a chunk already in the
   *       ledger (a redelivery) is not inserted and not returned;</li>
   *   <li>{@code intents}: provider calls about to be made ($11–$16); a call of a chunk's first
   *       round ({@code begin}) is written only if its chunk was new now;</li>
   *   <li>{@code answered}: the outcome of each call answered ($17–$22);</li>
   *   <li>{@code done}: chunks whose every recipient is placed, with the placements that are not
   *       provider answers (retry, dead, failed before any call, cancelled) as JSON ($23–$25).</li>
   * </ul>
   * Returns the chunks that were new.
   */
  static final String FLUSH = """
      with new_chunks as (
        insert into send_chunks (chunk_key, attempt, tenant_id, batch_id, chunk_index, campaign_id, channel, recipients,
                                 weights, split, incarnation)
        select n.chunk_key, n.attempt, n.tenant_id, n.batch_id, n.chunk_index, n.campaign_id, n.channel, n.recipients,
               n.weights::jsonb, n.split::jsonb, $26
        from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::int[],
                    $9::text[], $10::text[])
          as n(chunk_key, attempt, tenant_id, batch_id, chunk_index, campaign_id, channel, recipients, weights, split)
        on conflict (chunk_key, attempt) do nothing
        returning chunk_key, attempt
      ), intents as (
        insert into send_calls (chunk_key, attempt, call_no, incarnation, provider, message_ids)
        select c.chunk_key, c.attempt, c.call_no, $26, c.provider, string_to_array(c.ids, E'\\x1f')
        from unnest($11::text[], $12::int[], $13::int[], $14::text[], $15::text[], $16::bool[])
          as c(chunk_key, attempt, call_no, provider, ids, begin)
        where not c.begin
           or exists (select 1 from new_chunks n where n.chunk_key = c.chunk_key and n.attempt = c.attempt)
        returning 1
      ), answered as (
        update send_calls s set results = o.results, provider_ids = o.provider_ids, reasons = o.reasons,
                                answered_at = now()
        from unnest($17::text[], $18::int[], $19::int[], $20::text[], $21::text[], $22::text[])
          as o(chunk_key, attempt, call_no, results, provider_ids, reasons)
        where s.chunk_key = o.chunk_key and s.attempt = o.attempt and s.call_no = o.call_no
        returning 1
      ), done as (
        update send_chunks s set state = 'done', done_at = now(), placed = d.placed::jsonb
        from unnest($23::text[], $24::int[], $25::text[]) as d(chunk_key, attempt, placed)
        where s.chunk_key = d.chunk_key and s.attempt = d.attempt
        returning 1
      )
      select n.chunk_key, n.attempt, (select count(*) from intents), (select count(*) from answered),
             (select count(*) from done)
      from new_chunks n
      """;

  /** A chunk delivered again: its state and every call made for it, in call order. */
  static final String LOAD = """
      select c.state, c.placed::text, k.call_no, k.incarnation, k.provider, array_to_string(k.message_ids, E'\\x1f'),
             k.results, k.provider_ids, k.reasons, (extract(epoch from k.created_at) * 1000)::bigint
      from send_chunks c left join send_calls k on k.chunk_key = c.chunk_key and k.attempt = c.attempt
      where c.chunk_key = $1 and c.attempt = $2
      order by k.call_no
      """;

  /** Which of these incarnations still live: not stopped, and beating within $2 seconds. */
  static final String ALIVE = """
      select incarnation from router_incarnations
      where incarnation = any($1::text[]) and stopped_at is null
        and heartbeat_at > now() - make_interval(secs => $2::double precision)
      """;

  /** This process starts: its earlier runs under the same instance id are over (they died or stopped). */
  static final String REGISTER = """
      with gone as (
        update router_incarnations set stopped_at = now() where instance_id = $2 and stopped_at is null
      )
      insert into router_incarnations (incarnation, instance_id) values ($1, $2)
      """;

  static final String HEARTBEAT = "update router_incarnations set heartbeat_at = now() where incarnation = $1";

  static final String STOPPED = "update router_incarnations set stopped_at = now() where incarnation = $1";

  /** The ledger's old rows, a bounded slice at a time (BRIN on created_at). */
  static final String PRUNE_CALLS = """
      delete from send_calls where ctid = any(array(
        select ctid from send_calls where created_at < now() - make_interval(hours => $1) limit $2))
      """;

  static final String PRUNE_CHUNKS = """
      delete from send_chunks where ctid = any(array(
        select ctid from send_chunks where created_at < now() - make_interval(hours => $1) limit $2))
      """;

  static final String PRUNE_INCARNATIONS =
      "delete from router_incarnations where stopped_at < now() - make_interval(hours => $1)";

  /** The weights and split of each chunk of a batch (GET /v1/batches/{id}). */
  static final String BATCH_CHUNKS = """
      select chunk_index, attempt, channel, recipients, weights, split, created_at
      from send_chunks where batch_id = $1 order by chunk_index, attempt
      """;
}
