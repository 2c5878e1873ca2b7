package dev.esprouter.campaigns;

/**
 * Every statement on {@code campaigns} (the campaigns module owns it; {@link RecipientRows} has the
 * list's). Transitions append {@code {"state","at"}} to the campaign's history in the same statement.
 */
final class CampaignSql {

  static final String COLUMNS = "id, tenant_id, name, state, channel, priority, provider, send_at, max_rate_per_sec, "
      + "request, content, metadata, recipients, rejected, duplicates, suppressed, last_seq, fed_seq, pending_seq, "
      + "fed, transitions, created_at, updated_at, started_at, completed_at";

  private static final String HISTORY = "transitions || jsonb_build_array(jsonb_build_object('state', %s, 'at', now()))";

  static final String INSERT = "insert into campaigns (id, tenant_id, name, state, channel, priority, provider, send_at, "
      + "max_rate_per_sec, request, content, metadata, transitions) values ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, "
      + "$9, $10, $11, jsonb_build_array(jsonb_build_object('state', 'draft', 'at', now()))) "
      + "returning " + COLUMNS;

  static final String GET = "select " + COLUMNS + " from campaigns where id = $1 and tenant_id = $2";

  /** Newest first; {@code $3} is the last id of the previous page. */
  static final String LIST = "select " + COLUMNS + " from campaigns where tenant_id = $1 "
      + "and ($2::text is null or state = $2) and ($3::text is null or id < $3) order by id desc limit $4";

  static final String PATCH = "update campaigns set name = $3, channel = $4, priority = $5, provider = $6, "
      + "send_at = $7, max_rate_per_sec = $8, request = $9, content = $10, metadata = $11, "
      + "updated_at = now() where id = $1 and tenant_id = $2 and state in ('draft', 'scheduled') returning " + COLUMNS;

  /**
   * An action's transition: {@code $3} is the target state, or {@code auto} for {@code scheduled} while
   * {@code send_at} is ahead and {@code sending} otherwise, or {@code start}: {@code pending_approval}
   * when the tenant requires approval and {@code auto} otherwise; {@code $4} the states it may start
   * from; {@code $5} whether the campaign needs recipients.
   */
  static final String TRANSITION = "with t as (select id, case when $3::text = 'start' and (select "
      + "campaign_approval_required from tenants where id = $2) then 'pending_approval' "
      + "when $3::text in ('auto', 'start') then (case when send_at > now() "
      + "then 'scheduled' else 'sending' end) else $3::text end as target from campaigns where id = $1 "
      + "and tenant_id = $2 and state = any($4::text[]) and (not $5::boolean or recipients > 0) for update) "
      + "update campaigns c set state = t.target, updated_at = now(), "
      + "started_at = case when t.target = 'sending' then coalesce(c.started_at, now()) else c.started_at end, "
      + "completed_at = case when t.target in ('completed', 'cancelled') then now() else c.completed_at end, "
      + "transitions = c." + String.format(HISTORY, "t.target") + " from t where c.id = t.id returning "
      + prefixed("c.");

  // --- the feeder ----------------------------------------------------------------------------

  /**
   * Claims (or renews) due campaigns for feeder {@code $1} for {@code $2} ms, at most {@code $3}:
   * unowned, owned by it, or whose owner stopped renewing. A due {@code scheduled} campaign becomes
   * {@code sending} here. Rows locked by another feeder's claim are skipped, not waited for.
   */
  static final String CLAIM = "with due as (select id from campaigns where state in ('scheduled', 'sending') "
      + "and (send_at is null or send_at <= now() or state = 'sending') "
      + "and (lease_owner is null or lease_owner = $1 or lease_until < now()) order by id limit $3 "
      + "for update skip locked) "
      + "update campaigns c set lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond', "
      + "state = 'sending', started_at = coalesce(c.started_at, now()), "
      + "transitions = case when c.state = 'scheduled' then c." + String.format(HISTORY, "'sending'")
      + " else c.transitions end from due where c.id = due.id returning c.id";

  static final String FEED_STATE = "select id as campaign_id, state, tenant_id, channel, priority, provider, content, max_rate_per_sec, "
      + "recipients, last_seq, fed_seq, pending_seq, pending_index, fed, chunks_fed, started_at, "
      + "(select rate_limit_per_sec from tenants t where t.id = campaigns.tenant_id) as tenant_rate from campaigns "
      + "where id = $1 and lease_owner = $2";

  /** Marks the next chunk as written before it is published; fails (no row) if the lease or state changed. */
  static final String SET_PENDING = "update campaigns set pending_seq = $3, pending_index = chunks_fed "
      + "where id = $1 and lease_owner = $2 and state = 'sending' and pending_seq is null and fed_seq = $4 "
      + "returning pending_index";

  /** The published chunk confirmed: the cursor moves past it. */
  static final String CONFIRM = "update campaigns set fed_seq = pending_seq, pending_seq = null, pending_index = null, "
      + "fed = fed + $3, chunks_fed = chunks_fed + $4, updated_at = now() where id = $1 and lease_owner = $2 "
      + "and pending_seq = $5";

  /** No recipient left above the cursor (the last seqs were duplicates): the cursor moves to the end. */
  static final String SKIP_TO_END = "update campaigns set fed_seq = last_seq where id = $1 and lease_owner = $2 "
      + "and pending_seq is null and fed_seq = $3";

  static final String COMPLETE = "update campaigns set state = 'completed', completed_at = now(), updated_at = now(), "
      + "lease_owner = null, lease_until = null, transitions = " + String.format(HISTORY, "'completed'")
      + " where id = $1 and lease_owner = $2 and state = 'sending'";

  static final String RELEASE = "update campaigns set lease_owner = null, lease_until = null where id = $1 "
      + "and lease_owner = $2";

  static final String RELEASE_ALL = "update campaigns set lease_owner = null, lease_until = null where lease_owner = $1";

  static final String STATE_COUNTS = "select state, count(*) from campaigns group by state";

  static final String GATE_STATE = "select state from campaigns where id = $1";

  private CampaignSql() {
  }

  private static String prefixed(String p) {
    StringBuilder b = new StringBuilder();
    for (String c : COLUMNS.split(", ")) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(p).append(c);
    }
    return b.toString();
  }
}
