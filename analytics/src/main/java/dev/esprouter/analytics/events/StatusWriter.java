package dev.esprouter.analytics.events;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.MessageStatus;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.SuppressionAddress;
import dev.esprouter.common.facts.SendFacts;
import dev.esprouter.common.status.MessageDirectory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one writer of message statuses (docs/CONTRACTS.md § One owner per table). Each poll — the
 * router's facts from {@code send.outcomes} and the providers' events from {@code webhooks.*} — is
 * written in one transaction, one statement per table whatever its size: the timeline rows (an event
 * seen before changes nothing), every message's status moved forward in one upsert, the batch
 * counters, suppressions, and the provider stats aggregated in memory. Facts and events can come in
 * any order: a {@code delivered} that overtakes the router's {@code sent} still names its provider,
 * and the {@code sent} that follows fills what it lacks without moving it back.
 */
public final class StatusWriter {

  private final Pool pool;
  private final MessageDirectory directory;
  private final long firstRecheckMs;

  public StatusWriter(Pool pool, MessageDirectory directory, long firstRecheckMs) {
    this.pool = pool;
    this.directory = directory;
    this.firstRecheckMs = firstRecheckMs;
  }

  /** Records one poll. Duplicate events inside it are dropped before anything is written. */
  public Future<WriteResult> write(List<IncomingEvent> polled, List<SendFacts> facts) {
    Map<String, IncomingEvent> unique = new LinkedHashMap<>();
    for (IncomingEvent e : polled) {
      unique.putIfAbsent(e.key(), e);
    }
    List<IncomingEvent> events = new ArrayList<>(unique.values());
    int inPollDuplicates = polled.size() - events.size();
    if (events.isEmpty() && facts.isEmpty()) {
      return Future.succeededFuture(new WriteResult(List.of(), inPollDuplicates, List.of(), 0));
    }
    return prepare(events).compose(prepared -> pool.withTransaction(conn -> record(conn, prepared, facts, true)))
        .map(r -> new WriteResult(r.recorded(), r.duplicates() + inPollDuplicates, r.unmatched(), r.suppressions()));
  }

  /** Events kept aside, checked again ({@link UnmatchedRecheck}): recorded without counting them in the stats twice. */
  Future<WriteResult> recheck(SqlConnection conn, List<IncomingEvent> events) {
    return prepare(events).compose(prepared -> record(conn, prepared, List.of(), false));
  }

  /** Events with the message each belongs to, and for failures the directory entry behind them. */
  private record Prepared(List<IncomingEvent> events, List<String> messageIds, List<IncomingEvent> unknown,
                          Map<String, MessageDirectory.Entry> entries) {
  }

  /**
   * Finds each event's message — the router's id in the event, or for Telegram (which names only the
   * chat) the latest message to that chat — and, for events that may suppress an address, who sent
   * it to whom. Reads only; outside the poll's transaction.
   */
  private Future<Prepared> prepare(List<IncomingEvent> events) {
    List<String> chats = new ArrayList<>();
    for (IncomingEvent e : events) {
      if (e.event().messageId() == null && e.event().provider() == ProviderName.TELEGRAM
          && e.event().recipient() != null) {
        chats.add(e.event().recipient());
      }
    }
    Future<Map<String, MessageDirectory.Entry>> byChat = chats.isEmpty() ? Future.succeededFuture(Map.of())
        : directory.latestToChats(chats);
    return byChat.compose(chatMessages -> {
      List<IncomingEvent> matched = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      List<IncomingEvent> unknown = new ArrayList<>();
      Set<String> lookups = new HashSet<>();
      Map<String, MessageDirectory.Entry> entries = new HashMap<>();
      for (IncomingEvent e : events) {
        DeliveryEvent d = e.event();
        String id = d.messageId();
        if (id == null && d.provider() == ProviderName.TELEGRAM && d.recipient() != null) {
          MessageDirectory.Entry m = chatMessages.get(d.recipient());
          if (m != null) {
            id = m.id();
            entries.put(id, m);
          }
        }
        if (id == null) {
          unknown.add(e);
          continue;
        }
        matched.add(e);
        ids.add(id);
        if (FailureClassifier.suppressionReason(d) != null && !entries.containsKey(id)) {
          lookups.add(id);
        }
      }
      Future<Map<String, MessageDirectory.Entry>> looked = lookups.isEmpty() ? Future.succeededFuture(Map.of())
          : directory.lookup(new ArrayList<>(lookups));
      return looked.map(found -> {
        entries.putAll(found);
        return new Prepared(matched, ids, unknown, entries);
      });
    });
  }

  private Future<WriteResult> record(SqlConnection conn, Prepared p, List<SendFacts> facts, boolean fromPoll) {
    CounterDeltas counters = new CounterDeltas();
    StatsDelta stats = new StatsDelta();
    Timeline timeline = new Timeline();
    for (int i = 0; i < p.events().size(); i++) {
      timeline.event(p.messageIds().get(i), p.events().get(i).event());
    }
    for (SendFacts f : facts) {
      timeline.facts(f);
    }
    List<String> requeued = new ArrayList<>();
    facts.forEach(f -> requeued.addAll(f.requeued()));
    int[] suppressed = {0};
    List<IncomingEvent> recorded = new ArrayList<>();
    List<IncomingEvent> keptAside = new ArrayList<>();
    return requeue(conn, requeued, counters)
        .compose(v -> timeline.insert(conn))
        .compose(fresh -> {
          StatusUpdates updates = new StatusUpdates();
          for (SendFacts f : facts) {
            updates.facts(f);
          }
          List<IncomingEvent> freshEvents = new ArrayList<>();
          List<String> freshIds = new ArrayList<>();
          for (int i = 0; i < p.events().size(); i++) {
            IncomingEvent e = p.events().get(i);
            String id = p.messageIds().get(i);
            if (fresh.contains(Timeline.key(id, e.event()))) {
              recorded.add(e);
              freshEvents.add(e);
              freshIds.add(id);
              updates.event(id, e.event());
              if (fromPoll) {
                stats.add(e.event(), e.receivedAt());
              }
            }
          }
          return upsert(conn, updates, counters, stats)
              .compose(x -> suppress(conn, freshEvents, freshIds, p.entries()))
              .compose(n -> {
                suppressed[0] = n;
                return fromPoll ? keepUnmatched(conn, p.unknown()) : forget(conn, recorded);
              })
              .compose(newlyKept -> {
                for (IncomingEvent e : p.unknown()) {
                  if (newlyKept.contains(e.key())) {
                    keptAside.add(e);
                    stats.add(e.event(), e.receivedAt());
                  }
                }
                return counters.write(conn);
              })
              .compose(x -> stats.isEmpty() ? Future.succeededFuture()
                  : conn.preparedQuery(StatsDelta.UPSERT).execute(stats.toTuple()).mapEmpty());
        })
        .map(v -> new WriteResult(List.copyOf(recorded), fromPoll
            ? p.events().size() - recorded.size() + p.unknown().size() - keptAside.size() : 0,
            fromPoll ? List.copyOf(keptAside) : List.copyOf(p.unknown()), suppressed[0]));
  }

  private Future<Void> requeue(SqlConnection conn, List<String> ids, CounterDeltas counters) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(StatusSql.REQUEUE).execute(Tuple.of(ids.toArray(new String[0]))).map(rows -> {
      for (Row r : rows) {
        counters.add(r.getString(1), r.getString(2), r.getString(3), -1);
      }
      return null;
    });
  }

  private Future<Void> upsert(SqlConnection conn, StatusUpdates updates, CounterDeltas counters, StatsDelta stats) {
    if (updates.isEmpty()) {
      return Future.succeededFuture();
    }
    Instant now = Instant.now();
    return conn.preparedQuery(StatusSql.UPSERT_STATUS).execute(updates.tuple()).map(rows -> {
      for (Row r : rows) {
        String batch = r.getString(1);
        String status = r.getString(2);
        String provider = r.getString(3);
        String oldBatch = r.getString(4);
        String oldStatus = r.getString(5);
        String oldProvider = r.getString(6);
        if (oldStatus != null) {
          counters.add(oldBatch, oldStatus, oldProvider, -1);
        }
        counters.add(batch, status, provider, 1);
        ProviderName p = ProviderName.fromWire(provider);
        if (Boolean.TRUE.equals(r.getBoolean(7)) && p != null) {
          stats.addSent(p, now, 1);
        }
      }
      return null;
    });
  }

  private Future<Integer> suppress(SqlConnection conn, List<IncomingEvent> events, List<String> ids,
                                   Map<String, MessageDirectory.Entry> entries) {
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      DeliveryEvent e = events.get(i).event();
      String reason = FailureClassifier.suppressionReason(e);
      MessageDirectory.Entry m = entries.get(ids.get(i));
      if (reason != null && m != null) {
        rows.add(new String[] {m.tenantId(), m.channel().wire(), SuppressionAddress.of(m.channel(), m.recipient()),
            reason, e.provider().wire(), m.id()});
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
    return conn.preparedQuery(StatusSql.SUPPRESS).execute(t).map(r -> r.rowCount());
  }

  private Future<Set<String>> keepUnmatched(SqlConnection conn, List<IncomingEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    String[] providers = events.stream().map(e -> e.event().provider().wire()).toArray(String[]::new);
    String[] keys = events.stream().map(e -> e.event().dedupeKey()).toArray(String[]::new);
    String[] json = events.stream().map(e -> e.event().toJson()
        .put("received_at", e.receivedAt().toString()).encode()).toArray(String[]::new);
    return conn.preparedQuery(StatusSql.KEEP_UNMATCHED).execute(Tuple.of(providers, keys, json, (double) firstRecheckMs))
        .map(rows -> {
          Set<String> out = new HashSet<>();
          rows.forEach(r -> out.add(r.getString(0) + '\u0000' + r.getString(1)));
          return out;
        });
  }

  private Future<Set<String>> forget(SqlConnection conn, List<IncomingEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    String[] providers = events.stream().map(e -> e.event().provider().wire()).toArray(String[]::new);
    String[] keys = events.stream().map(e -> e.event().dedupeKey()).toArray(String[]::new);
    return conn.preparedQuery(StatusSql.FORGET_UNMATCHED)
        .execute(Tuple.tuple().addArrayOfString(providers).addArrayOfString(keys)).map(r -> Set.of());
  }

  /** The timeline rows of a poll: provider events and the router's facts that are worth a line. */
  static final class Timeline {
    private final List<String> ids = new ArrayList<>();
    private final List<String> providers = new ArrayList<>();
    private final List<String> types = new ArrayList<>();
    private final List<OffsetDateTime> at = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    /** A provider event's row key: the provider's own dedupe key, scoped by provider. */
    static String key(String messageId, DeliveryEvent e) {
      return messageId + '\u0000' + e.provider().wire() + '/' + e.dedupeKey();
    }

    void event(String messageId, DeliveryEvent e) {
      add(messageId, e.provider().wire(), e.type().wire(), e.occurredAt(), detail(e), e.provider().wire() + '/'
          + e.dedupeKey());
    }

    /** The router's lines: failovers, refusals, retries, dead letters, cancellations and requeues. */
    void facts(SendFacts f) {
      String base = "r/" + f.chunkKey() + '/' + f.attempt() + '/';
      for (SendFacts.Failover x : f.failovers()) {
        add(x.id(), x.provider().wire(), "failover", f.at(), new JsonObject().put("class", x.outcome())
            .put("reason", x.reason()).encode(), base + "failover/" + x.provider().wire());
      }
      for (SendFacts.Failed x : f.failed()) {
        add(x.id(), x.provider() == null ? null : x.provider().wire(), "failed", f.at(),
            new JsonObject().put("reason", x.reason()).encode(), base + "failed");
      }
      for (String id : f.retry().ids()) {
        add(id, null, "retry_scheduled", f.at(), new JsonObject().put("reason", f.retry().reason())
            .put("attempt", f.attempt() + 2).put("not_before", String.valueOf(f.retry().notBefore())).encode(),
            base + "retry");
      }
      for (String id : f.dead().ids()) {
        add(id, null, "dead", f.at(), new JsonObject().put("reason", f.dead().reason())
            .put("attempts", f.attempt() + 1).encode(), base + "dead");
      }
      for (String id : f.cancelled().ids()) {
        add(id, null, "cancelled", f.at(), new JsonObject().put("reason", f.cancelled().reason()).encode(),
            base + "cancelled");
      }
      for (String id : f.requeued()) {
        add(id, null, "requeued", f.at(), null, "r/" + f.chunkKey() + "/requeued");
      }
    }

    private void add(String id, String provider, String type, Instant when, String detail, String key) {
      ids.add(id);
      providers.add(provider);
      types.add(type);
      at.add(when.atOffset(ZoneOffset.UTC));
      details.add(detail);
      keys.add(key);
    }

    /** Inserts the rows; returns the keys ({@link #key}) of those that are new. */
    Future<Set<String>> insert(SqlConnection conn) {
      if (ids.isEmpty()) {
        return Future.succeededFuture(Set.of());
      }
      return conn.preparedQuery(StatusSql.INSERT_EVENTS).execute(Tuple.tuple()
              .addArrayOfString(ids.toArray(new String[0])).addArrayOfString(providers.toArray(new String[0]))
              .addArrayOfString(types.toArray(new String[0])).addArrayOfOffsetDateTime(at.toArray(new OffsetDateTime[0]))
              .addArrayOfString(details.toArray(new String[0])).addArrayOfString(keys.toArray(new String[0])))
          .map(rows -> {
            Set<String> out = new HashSet<>();
            rows.forEach(r -> out.add(r.getString(0) + '\u0000' + r.getString(1)));
            return out;
          });
    }
  }

  /** One row per message of the poll: its strongest status and everything the poll knows of it. */
  static final class StatusUpdates {

    private static final class Update {
      String tenant;
      String batch;
      MessageStatus status;
      String provider;
      String providerId;
      int attempts;
      String error;
      Instant sentAt;
      boolean fromSent;
    }

    private final Map<String, Update> byId = new TreeMap<>();

    boolean isEmpty() {
      return byId.isEmpty();
    }

    void facts(SendFacts f) {
      int attempts = f.attempt() + 1;
      for (SendFacts.Accepted a : f.accepted()) {
        for (int i = 0; i < a.ids().size(); i++) {
          String pid = a.providerIdOf(i);
          put(a.ids().get(i), f, MessageStatus.SENT, a.provider().wire(), pid == null || pid.isEmpty() ? null : pid,
              attempts, null, f.at(), true);
        }
      }
      for (SendFacts.Failed x : f.failed()) {
        put(x.id(), f, MessageStatus.FAILED, x.provider() == null ? null : x.provider().wire(), null, attempts,
            x.provider() == null ? x.reason() : x.provider().wire() + ": " + x.reason(), null, false);
      }
      for (String id : f.retry().ids()) {
        put(id, f, MessageStatus.QUEUED, null, null, attempts, f.retry().reason(), null, false);
      }
      for (String id : f.dead().ids()) {
        put(id, f, MessageStatus.DEAD, null, null, attempts, f.dead().reason(), null, false);
      }
      for (String id : f.cancelled().ids()) {
        put(id, f, MessageStatus.CANCELLED, null, null, 0, f.cancelled().reason(), null, false);
      }
    }

    void event(String id, DeliveryEvent e) {
      String status = FailureClassifier.status(e.type());
      if (status == null) {
        return;
      }
      boolean failure = e.type() == EventType.BOUNCED || e.type() == EventType.DROPPED;
      String error = failure && e.reason() != null ? e.provider().wire() + ": " + e.reason() : null;
      Update u = byId.computeIfAbsent(id, k -> new Update());
      merge(u, MessageStatus.fromWire(status), e.provider().wire(), e.providerMessageId(), 0, error, null, false);
    }

    private void put(String id, SendFacts f, MessageStatus status, String provider, String providerId, int attempts,
                     String error, Instant sentAt, boolean fromSent) {
      Update u = byId.computeIfAbsent(id, k -> new Update());
      if (u.tenant == null) {
        u.tenant = f.tenantId();
      }
      if (u.batch == null) {
        u.batch = f.batchId();
      }
      merge(u, status, provider, providerId, attempts, error, sentAt, fromSent);
    }

    private static void merge(Update u, MessageStatus status, String provider, String providerId, int attempts,
                              String error, Instant sentAt, boolean fromSent) {
      boolean stronger = u.status == null || status.rank() > u.status.rank();
      if (stronger) {
        u.status = status;
        if (error != null) {
          u.error = error;
        }
      }
      // The provider that accepted (the router's sent fact) names the message's provider.
      if (provider != null && (u.provider == null || (fromSent && !u.fromSent))) {
        u.provider = provider;
        u.providerId = providerId != null ? providerId : u.providerId;
        u.fromSent |= fromSent;
      } else if (u.providerId == null && providerId != null) {
        u.providerId = providerId;
      }
      u.attempts = Math.max(u.attempts, attempts);
      if (sentAt != null && (u.sentAt == null || sentAt.isBefore(u.sentAt))) {
        u.sentAt = sentAt;
      }
    }

    Tuple tuple() {
      int n = byId.size();
      String[] ids = new String[n];
      String[] tenants = new String[n];
      String[] batches = new String[n];
      String[] statuses = new String[n];
      String[] providers = new String[n];
      String[] providerIds = new String[n];
      Integer[] attempts = new Integer[n];
      String[] errors = new String[n];
      OffsetDateTime[] sentAt = new OffsetDateTime[n];
      int i = 0;
      for (Map.Entry<String, Update> e : byId.entrySet()) {
        Update u = e.getValue();
        ids[i] = e.getKey();
        tenants[i] = u.tenant;
        batches[i] = u.batch;
        statuses[i] = u.status.wire();
        providers[i] = u.provider;
        providerIds[i] = u.providerId;
        attempts[i] = u.attempts;
        errors[i] = u.error;
        sentAt[i] = u.sentAt == null ? null : u.sentAt.atOffset(ZoneOffset.UTC);
        i++;
      }
      return Tuple.tuple().addArrayOfString(ids).addArrayOfString(tenants).addArrayOfString(batches)
          .addArrayOfString(statuses).addArrayOfString(providers).addArrayOfString(providerIds)
          .addArrayOfInteger(attempts).addArrayOfString(errors).addArrayOfOffsetDateTime(sentAt);
    }
  }

  /** Batch counter deltas of a poll, per (batch, status, provider); {@code queued} is not counted. */
  static final class CounterDeltas {
    private final Map<String, Long> deltas = new TreeMap<>();

    void add(String batch, String status, String provider, long n) {
      if (batch == null || status == null || MessageStatus.QUEUED.wire().equals(status)) {
        return;
      }
      deltas.merge(batch + '\u0000' + status + '\u0000' + (provider == null ? "" : provider), n, Long::sum);
    }

    Future<Void> write(SqlConnection conn) {
      List<String> batches = new ArrayList<>();
      List<String> statuses = new ArrayList<>();
      List<String> providers = new ArrayList<>();
      List<Long> ns = new ArrayList<>();
      deltas.forEach((k, n) -> {
        if (n != 0) {
          String[] parts = k.split("\u0000", -1);
          batches.add(parts[0]);
          statuses.add(parts[1]);
          providers.add(parts[2]);
          ns.add(n);
        }
      });
      if (batches.isEmpty()) {
        return Future.succeededFuture();
      }
      return conn.preparedQuery(StatusSql.COUNTERS).execute(Tuple.tuple()
          .addArrayOfString(batches.toArray(new String[0])).addArrayOfString(statuses.toArray(new String[0]))
          .addArrayOfString(providers.toArray(new String[0])).addArrayOfLong(ns.toArray(new Long[0]))).mapEmpty();
    }
  }

  /**
   * The timeline detail of an event: what the provider said beyond its type. Null for a plain
   * delivery or open (the status row already has the provider and its id), which keeps the bulk of
   * the timeline rows small; failures and clicks keep the provider's own fields (codes, URLs).
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
}
