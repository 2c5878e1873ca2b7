package dev.esprouter.analytics.http;

/** The SQL of the dashboard, its sessions and the {@code /v1/stats} reads, as named constants. */
final class DashboardSql {

  private DashboardSql() {
  }

  static final String SESSION_INSERT = "insert into dashboard_sessions (id_hash, tenant_id, credential_hash, csrf_token, "
      + "expires_at, max_expires_at) values ($1, $2, $3, $4, $5, $6)";

  static final String SESSION_FIND = "select tenant_id, credential_hash, csrf_token, expires_at from dashboard_sessions "
      + "where id_hash = $1 and expires_at > now() and max_expires_at > now()";

  static final String SESSION_TOUCH = "update dashboard_sessions set expires_at = least($2, max_expires_at) "
      + "where id_hash = $1";

  static final String SESSION_DELETE = "delete from dashboard_sessions where id_hash = $1";

  static final String SESSION_PRUNE = "delete from dashboard_sessions where expires_at < now() or max_expires_at < now()";

  /** Whether {@code provider_stats} is kept per recipient-domain group yet (a column added by routing). */
  static final String STATS_HAS_DOMAIN_GROUP = "select exists (select 1 from information_schema.columns "
      + "where table_schema = current_schema() and table_name = 'provider_stats' and column_name = 'domain_group')";

  /** The counters summed into steps of $3 seconds (aligned to the epoch) between $1 and $2, all groups. */
  static final String STATS_SERIES = "select provider, extract(epoch from date_bin(make_interval(secs => $3), bucket, "
      + "timestamptz 'epoch'))::bigint, " + sums() + " from provider_stats where bucket >= $1 and bucket < $2 "
      + "and ($4::text is null or provider = $4) group by 1, 2 order by 1, 2";

  /** The same for one recipient-domain group ($5); only where provider_stats has the column. */
  static final String STATS_SERIES_GROUP = STATS_SERIES.replace("group by", "and domain_group = $5 group by");

  /**
   * Failure events newest first, every tenant. {@code message_events_failures} (V4_9) holds exactly
   * these types, so a page is read from the index's head.
   */
  static final String FAILURES = "select e.dedupe_key, e.occurred_at, e.provider, e.type, e.message_id, e.detail->>'reason', "
      + "coalesce((e.detail->>'recipient_side')::boolean, false) from message_events e "
      + "where e.type = any($1) and e.type in ('failed', 'bounced', 'dropped', 'complained', 'blocked', 'dead') "
      + "and ($2::text is null or e.provider = $2) and e.occurred_at >= $3 and e.occurred_at < $4 "
      + "order by e.occurred_at desc, e.message_id desc limit $5";

  /** The same for one tenant ($6): the message's tenant is on its status row (the status writer's own table). */
  static final String FAILURES_OF_TENANT = FAILURES.replace("order by",
      "and exists (select 1 from message_status s where s.id = e.message_id and s.tenant_id = $6) order by");

  private static String sums() {
    StringBuilder b = new StringBuilder();
    for (String c : StatsSeries.COUNTERS) {
      b.append(b.isEmpty() ? "" : ", ").append("sum(").append(c).append(")::bigint");
    }
    return b.toString();
  }
}
