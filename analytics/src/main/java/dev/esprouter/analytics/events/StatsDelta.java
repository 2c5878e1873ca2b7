package dev.esprouter.analytics.events;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.DomainGroups;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code provider_stats} increments of one poll, aggregated in memory per (provider, minute,
 * recipient-domain group) so the poll writes them with one upsert however many events it held. An
 * event counts in the group of its recipient's domain ({@link DomainGroups}); {@code sent} comes
 * from the router's facts, which name no recipient, and counts in {@code other}.
 */
final class StatsDelta {

  static final String UPSERT = "insert into provider_stats (provider, bucket, delivered, opened, clicked, deferred, "
      + "bounced, bounced_recipient, complained, failed, failed_recipient, sent, domain_group) "
      + "select * from unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], "
      + "$7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::text[]) "
      + "on conflict (provider, bucket, domain_group) do update set sent = provider_stats.sent + excluded.sent, "
      + "delivered = provider_stats.delivered + excluded.delivered, opened = provider_stats.opened + excluded.opened, "
      + "clicked = provider_stats.clicked + excluded.clicked, deferred = provider_stats.deferred + excluded.deferred, "
      + "bounced = provider_stats.bounced + excluded.bounced, "
      + "bounced_recipient = provider_stats.bounced_recipient + excluded.bounced_recipient, "
      + "complained = provider_stats.complained + excluded.complained, failed = provider_stats.failed + excluded.failed, "
      + "failed_recipient = provider_stats.failed_recipient + excluded.failed_recipient";

  /** Column order after provider and bucket. */
  private static final int DELIVERED = 0;
  private static final int OPENED = 1;
  private static final int CLICKED = 2;
  private static final int DEFERRED = 3;
  private static final int BOUNCED = 4;
  private static final int BOUNCED_RECIPIENT = 5;
  private static final int COMPLAINED = 6;
  private static final int FAILED = 7;
  private static final int FAILED_RECIPIENT = 8;
  private static final int SENT = 9;
  private static final int COLUMNS = 10;

  private record Key(ProviderName provider, long epochMinute, DomainGroup group) {
  }

  private static final DomainGroups GROUPS = DomainGroups.standard();

  /**
   * Sorted: polls written at once upsert their rows in the same order, so two of them never wait for
   * each other's row locks in a cycle.
   */
  private final Map<Key, long[]> rows = new TreeMap<>(Comparator.comparing(Key::provider)
      .thenComparingLong(Key::epochMinute).thenComparing(Key::group));

  /** Counts one new event in the minute it was received. */
  void add(DeliveryEvent e, Instant receivedAt) {
    int column = column(e);
    if (column < 0) {
      return;
    }
    DomainGroup g = GROUPS.of(e.provider().channel(), e.recipient());
    rows.computeIfAbsent(new Key(e.provider(), receivedAt.getEpochSecond() / 60, g), k -> new long[COLUMNS])[column]++;
  }

  /** Counts recipients a provider accepted (the router's facts), in the minute they were recorded. */
  void addSent(ProviderName provider, Instant at, long n) {
    if (n > 0) {
      rows.computeIfAbsent(new Key(provider, at.getEpochSecond() / 60, DomainGroup.OTHER), k -> new long[COLUMNS])[SENT]
          += n;
    }
  }

  /** The counter an event adds to, after classification; -1 for events that count nowhere (unsubscribes). */
  static int column(DeliveryEvent e) {
    boolean recipient = FailureClassifier.classify(e) == FailureClassifier.Side.RECIPIENT;
    return switch (e.type()) {
      case DELIVERED -> DELIVERED;
      case OPENED -> OPENED;
      case CLICKED -> CLICKED;
      case DEFERRED -> DEFERRED;
      case BOUNCED -> recipient ? BOUNCED_RECIPIENT : BOUNCED;
      case COMPLAINED -> COMPLAINED;
      case DROPPED -> recipient ? FAILED_RECIPIENT : FAILED;
      case BLOCKED -> FAILED_RECIPIENT;
      case UNSUBSCRIBED -> -1;
    };
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  Tuple toTuple() {
    int n = rows.size();
    String[] providers = new String[n];
    String[] groups = new String[n];
    OffsetDateTime[] buckets = new OffsetDateTime[n];
    Long[][] columns = new Long[COLUMNS][n];
    int i = 0;
    for (Map.Entry<Key, long[]> e : rows.entrySet()) {
      providers[i] = e.getKey().provider().wire();
      groups[i] = e.getKey().group().wire();
      buckets[i] = Instant.ofEpochSecond(e.getKey().epochMinute() * 60).atOffset(ZoneOffset.UTC);
      for (int c = 0; c < COLUMNS; c++) {
        columns[c][i] = e.getValue()[c];
      }
      i++;
    }
    // Not Tuple.of(a, b): with two arrays it picks the varargs overload and spreads the second.
    Tuple t = Tuple.tuple().addArrayOfString(providers).addArrayOfOffsetDateTime(buckets);
    for (Long[] col : columns) {
      t.addArrayOfLong(col);
    }
    return t.addArrayOfString(groups);
  }
}
