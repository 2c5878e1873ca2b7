package dev.esprouter.analytics.events;

import dev.esprouter.common.Channel;
import dev.esprouter.common.SuppressionAddress;
import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the events of one poll in one transaction, one statement per table with {@code unnest}
 * arrays, whatever the number of events: find their messages, append the new ones to
 * {@code message_events} (the unique (provider, dedupe_key) makes a redelivered event change
 * nothing), move statuses forward, add suppressions, keep events of unknown messages aside, and
 * upsert the poll's stats aggregated in memory. Each event is counted in the stats exactly once:
 * when it is first recorded, or first kept aside (a late match later does not count it again).
 */
public final class EventWriter {

  /**
   * Finds each event's message: by the router's id, else by the provider's id (preferring the row of
   * the event's recipient, since one SendGrid X-Message-Id covers a whole request), else (Telegram)
   * the latest message to that chat.
   */
  static final String RESOLVE = "select e.i, m.id, m.tenant_id, m.channel, m.recipient "
      + "from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) as e(i, mid, prov, pmid, rcpt) "
      + "cross join lateral ("
      + "(select id, tenant_id, channel, recipient from messages where e.mid is not null and id = e.mid) "
      + "union all (select id, tenant_id, channel, recipient from messages "
      + "where e.pmid is not null and provider = e.prov and provider_message_id = e.pmid "
      + "order by lower(recipient) = lower(e.rcpt) desc nulls last limit 1) "
      + "union all (select id, tenant_id, channel, recipient from messages where e.mid is null and e.pmid is null "
      + "and e.prov = 'telegram' and provider = 'telegram' and recipient = e.rcpt order by created_at desc limit 1) "
      + "limit 1) m";

  static final String INSERT_EVENTS = "insert into message_events (message_id, provider, type, occurred_at, detail, "
      + "dedupe_key) select m, p, t, o, d::jsonb, k "
      + "from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[]) as x(m, p, t, o, d, k) "
      + "on conflict (provider, dedupe_key) where dedupe_key is not null do nothing returning provider, dedupe_key";

  /** Forward only: the highest-ranked new status per message, applied only above the current rank. */
  static final String UPDATE_STATUS = "update messages m set status = u.status, updated_at = now(), "
      + "last_error = coalesce(u.error, m.last_error) "
      + "from (select distinct on (id) id, status, error from unnest($1::text[], $2::text[], $3::text[]) "
      + "as t(id, status, error) order by id, esp_status_rank(status) desc) u "
      + "where m.id = u.id and esp_status_rank(u.status) > esp_status_rank(m.status)";

  static final String SUPPRESS = "insert into suppressions (tenant_id, channel, address, reason, provider, message_id) "
      + "select distinct on (t, c, a) t, c, a, r, p, m "
      + "from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as s(t, c, a, r, p, m) "
      + "on conflict (tenant_id, channel, address) do nothing";

  static final String KEEP_UNMATCHED = "insert into unmatched_events (provider, dedupe_key, event, next_check_at) "
      + "select p, k, e::jsonb, now() + make_interval(secs => $4::float8 / 1000) "
      + "from unnest($1::text[], $2::text[], $3::text[]) as u(p, k, e) "
      + "on conflict (provider, dedupe_key) do nothing returning provider, dedupe_key";

  /** Events that were kept aside and are now recorded: they were counted in the stats back then. */
  static final String FORGET_UNMATCHED = "delete from unmatched_events u using unnest($1::text[], $2::text[]) "
      + "as k(p, d) where u.provider = k.p and u.dedupe_key = k.d returning u.provider, u.dedupe_key";

  private final Pool pool;
  private final long firstRecheckMs;

  public EventWriter(Pool pool, long firstRecheckMs) {
    this.pool = pool;
    this.firstRecheckMs = firstRecheckMs;
  }

  /** Records the events of one poll; duplicates inside the poll are dropped before anything is written. */
  public Future<WriteResult> write(List<IncomingEvent> polled) {
    Map<String, IncomingEvent> unique = new LinkedHashMap<>();
    for (IncomingEvent e : polled) {
      unique.putIfAbsent(e.key(), e);
    }
    List<IncomingEvent> events = new ArrayList<>(unique.values());
    int inPollDuplicates = polled.size() - events.size();
    if (events.isEmpty()) {
      return Future.succeededFuture(new WriteResult(List.of(), inPollDuplicates, List.of(), 0));
    }
    return pool.withTransaction(conn -> record(conn, events, true)).map(r -> new WriteResult(r.recorded(),
        r.duplicates() + inPollDuplicates, r.unmatched(), r.suppressions()));
  }

  /**
   * The shared path of a poll and of a re-check of kept-aside events ({@code countStats} false: they
   * were counted when first kept aside).
   */
  Future<WriteResult> record(SqlConnection conn, List<IncomingEvent> events, boolean fromPoll) {
    return resolve(conn, events).compose(matches -> {
      List<IncomingEvent> matched = new ArrayList<>();
      List<MatchedMessage> messages = new ArrayList<>();
      List<IncomingEvent> unknown = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        MatchedMessage m = matches.get(i);
        if (m == null) {
          unknown.add(events.get(i));
        } else {
          matched.add(events.get(i));
          messages.add(m);
        }
      }
      StatsDelta stats = new StatsDelta();
      List<IncomingEvent> recorded = new ArrayList<>();
      List<IncomingEvent> keptAside = new ArrayList<>();
      int[] suppressions = new int[1];
      return insertEvents(conn, matched, messages)
          .compose(fresh -> forgetUnmatched(conn, matched, fromPoll ? fresh : null).compose(countedBefore -> {
            List<MatchedMessage> freshMessages = new ArrayList<>();
            for (int i = 0; i < matched.size(); i++) {
              IncomingEvent e = matched.get(i);
              if (fresh.contains(e.key())) {
                recorded.add(e);
                freshMessages.add(messages.get(i));
                if (fromPoll && !countedBefore.contains(e.key())) {
                  stats.add(e.event(), e.receivedAt());
                }
              }
            }
            return updateStatus(conn, recorded, freshMessages)
                .compose(v -> suppress(conn, recorded, freshMessages))
                .map(n -> {
                  suppressions[0] = n;
                  return null;
                });
          }))
          .compose(v -> fromPoll ? keepUnmatched(conn, unknown) : Future.succeededFuture(Set.<String>of()))
          .compose(newUnknown -> {
            for (IncomingEvent e : unknown) {
              if (newUnknown.contains(e.key())) {
                keptAside.add(e);
                stats.add(e.event(), e.receivedAt());
              }
            }
            return stats.isEmpty() ? Future.succeededFuture()
                : conn.preparedQuery(StatsDelta.UPSERT).execute(stats.toTuple()).mapEmpty();
          })
          .map(v -> new WriteResult(List.copyOf(recorded), fromPoll ? events.size() - recorded.size()
              - keptAside.size() : 0, fromPoll ? List.copyOf(keptAside) : unknown, suppressions[0]));
    });
  }

  private Future<Map<Integer, MatchedMessage>> resolve(SqlConnection conn, List<IncomingEvent> events) {
    int n = events.size();
    Integer[] idx = new Integer[n];
    String[] ids = new String[n];
    String[] providers = new String[n];
    String[] providerIds = new String[n];
    String[] recipients = new String[n];
    for (int i = 0; i < n; i++) {
      DeliveryEvent e = events.get(i).event();
      idx[i] = i;
      ids[i] = e.messageId();
      providers[i] = e.provider().wire();
      providerIds[i] = e.providerMessageId();
      recipients[i] = e.recipient();
    }
    return conn.preparedQuery(RESOLVE).execute(Tuple.of(idx, ids, providers, providerIds, recipients)).map(rows -> {
      Map<Integer, MatchedMessage> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getInteger(0), new MatchedMessage(r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
      }
      return out;
    });
  }

  /** Returns the keys of the events inserted now (not seen before). */
  private Future<Set<String>> insertEvents(SqlConnection conn, List<IncomingEvent> events,
                                           List<MatchedMessage> messages) {
    if (events.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    int n = events.size();
    String[] ids = new String[n];
    String[] providers = new String[n];
    String[] types = new String[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[] details = new String[n];
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      DeliveryEvent e = events.get(i).event();
      ids[i] = messages.get(i).id();
      providers[i] = e.provider().wire();
      types[i] = e.type().wire();
      at[i] = e.occurredAt().atOffset(ZoneOffset.UTC);
      details[i] = detail(e);
      keys[i] = e.dedupeKey();
    }
    return conn.preparedQuery(INSERT_EVENTS).execute(Tuple.of(ids, providers, types, at, details, keys))
        .map(EventWriter::keys);
  }

  /** Deletes kept-aside copies of these events; returns the keys that had been kept aside (already counted). */
  private Future<Set<String>> forgetUnmatched(SqlConnection conn, List<IncomingEvent> events, Set<String> only) {
    List<IncomingEvent> list = only == null ? events : events.stream().filter(e -> only.contains(e.key())).toList();
    if (list.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    String[] providers = list.stream().map(e -> e.event().provider().wire()).toArray(String[]::new);
    String[] keys = list.stream().map(e -> e.event().dedupeKey()).toArray(String[]::new);
    return conn.preparedQuery(FORGET_UNMATCHED).execute(Tuple.tuple().addArrayOfString(providers).addArrayOfString(keys))
        .map(EventWriter::keys);
  }

  private Future<Void> updateStatus(SqlConnection conn, List<IncomingEvent> events, List<MatchedMessage> messages) {
    List<String> ids = new ArrayList<>();
    List<String> statuses = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      DeliveryEvent e = events.get(i).event();
      String status = FailureClassifier.status(e.type());
      if (status != null) {
        ids.add(messages.get(i).id());
        statuses.add(status);
        boolean failure = e.type() == EventType.BOUNCED || e.type() == EventType.DROPPED;
        errors.add(failure && e.reason() != null ? e.provider().wire() + ": " + e.reason() : null);
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(UPDATE_STATUS).execute(Tuple.of(ids.toArray(String[]::new),
        statuses.toArray(String[]::new), errors.toArray(String[]::new))).mapEmpty();
  }

  private Future<Integer> suppress(SqlConnection conn, List<IncomingEvent> events, List<MatchedMessage> messages) {
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      DeliveryEvent e = events.get(i).event();
      String reason = FailureClassifier.suppressionReason(e);
      if (reason != null) {
        MatchedMessage m = messages.get(i);
        rows.add(new String[] {m.tenantId(), m.channel(), SuppressionAddress.of(Channel.fromWire(m.channel()), m.recipient()), reason,
            e.provider().wire(), m.id()});
      }
    }
    if (rows.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Tuple t = Tuple.tuple();
    for (int c = 0; c < 6; c++) {
      int col = c;
      t.addArrayOfString(rows.stream().map(r -> r[col]).toArray(String[]::new));
    }
    return conn.preparedQuery(SUPPRESS).execute(t).map(r -> r.rowCount());
  }

  private Future<Set<String>> keepUnmatched(SqlConnection conn, List<IncomingEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    String[] providers = events.stream().map(e -> e.event().provider().wire()).toArray(String[]::new);
    String[] keys = events.stream().map(e -> e.event().dedupeKey()).toArray(String[]::new);
    String[] json = events.stream().map(e -> e.event().toJson()
        .put("received_at", e.receivedAt().toString()).encode()).toArray(String[]::new);
    return conn.preparedQuery(KEEP_UNMATCHED).execute(Tuple.of(providers, keys, json, (double) firstRecheckMs))
        .map(EventWriter::keys);
  }

  /**
   * The timeline detail of an event: what the provider said beyond its type. Null for a plain
   * delivery or open (the message row already has the recipient and provider ids), which keeps the
   * bulk of the timeline rows small; failures and clicks keep the provider's own fields (codes, URLs).
   */
  static String detail(DeliveryEvent e) {
    boolean routine = e.type() == EventType.DELIVERED || e.type() == EventType.OPENED;
    if (routine && e.reason() == null) {
      return null;
    }
    JsonObject d = new JsonObject().put("recipient_side",
        FailureClassifier.classify(e) == FailureClassifier.Side.RECIPIENT);
    if (e.reason() != null) {
      d.put("reason", e.reason());
    }
    if (e.providerMessageId() != null) {
      d.put("provider_message_id", e.providerMessageId());
    }
    if (e.recipient() != null) {
      d.put("recipient", e.recipient());
    }
    if (!routine && e.raw() != null && !e.raw().isEmpty()) {
      d.put("raw", e.raw());
    }
    return d.encode();
  }

  private static Set<String> keys(io.vertx.sqlclient.RowSet<Row> rows) {
    Set<String> out = new HashSet<>();
    for (Row r : rows) {
      out.add(r.getString(0) + '\u0000' + r.getString(1));
    }
    return out;
  }
}
