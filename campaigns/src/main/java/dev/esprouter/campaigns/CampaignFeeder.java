package dev.esprouter.campaigns;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Priority;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.status.BatchCounts;
import dev.esprouter.common.status.MessageStatusView;
import dev.esprouter.ingress.CampaignIntake;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands due campaigns to the send lanes, chunk by chunk, on timers (never a loop that polls).
 *
 * <p>Every {@code ESP_CAMPAIGN_FEEDER_TICK_MS} it claims or renews, in one statement, a lease on up to
 * {@code ESP_CAMPAIGN_FEEDS} campaigns that are {@code sending} (or {@code scheduled} and due) and not
 * leased by a live feeder of another process; so several processes share the campaigns and one
 * campaign is fed by one of them. A process that dies stops renewing; after {@code ESP_CAMPAIGN_LEASE_MS}
 * another one takes its campaigns over where their cursor is.
 *
 * <p>One chunk is fed in three steps, each durable before the next: (1) its recipients' message rows
 * are written and the campaign row records the chunk as pending (its last seq); (2) the chunk is
 * published; (3) the cursor moves past it. A feeder that finds a pending chunk (its own after a failed
 * publish, or a dead feeder's) publishes it again: the same recipients make the same chunk with the
 * same message ids and ledger key ({@link CampaignIds}, {@link CampaignIntake#chunks}), which the router
 * settles from its ledger. No recipient is skipped; none is sent twice.
 *
 * <p>It keeps at most {@code ESP_CAMPAIGN_MAX_AHEAD} recipients of a campaign fed and not yet settled
 * (from the status writer's counters: one small read per chunk), so a pause takes effect within a few
 * chunks and a 2M campaign does not sit in Kafka ahead of newer work; at most {@code max_rate_per_sec}
 * recipients a second (a token bucket holding one second's worth); and, when the tenant has a rate of
 * its own ({@code tenants.rate_limit_per_sec}), at most that many recipients a second over all of the
 * tenant's campaigns this process feeds (one bucket per tenant, shared out among its campaigns).
 */
final class CampaignFeeder extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(CampaignFeeder.class);
  private static final long STATE_COUNT_MS = 5_000;

  private final Pool pool;
  private final CampaignIntake intake;
  private final CampaignSettings settings;
  private final Optional<MessageStatusView> statuses;
  private final CampaignMetrics metrics;
  private final String owner = "feeder-" + UUID.randomUUID();
  private final Map<String, Feed> feeds = new HashMap<>();
  private final Map<String, Bucket> tenants = new HashMap<>();
  private long tickTimer = -1;
  private long countTimer = -1;
  private boolean claiming;
  private boolean stopped;
  private long lastWarning;

  /**
   * Recipients a second, refilled continuously up to one second's worth; starts empty, so what is fed
   * over any time t is at most rate × t plus one second's worth.
   */
  static final class Bucket {
    double tokens;
    long refilledAt = System.nanoTime();

    /** The whole tokens there are now at {@code rate}. */
    long available(int rate) {
      long now = System.nanoTime();
      tokens = Math.min(rate, tokens + rate * ((now - refilledAt) / 1e9));
      refilledAt = now;
      return (long) Math.floor(tokens);
    }
  }

  /** This process's work on one leased campaign; confined to the feeder's event loop. */
  private static final class Feed {
    final String id;
    final Bucket own = new Bucket();
    String tenant;
    boolean busy;
    long lag;

    Feed(String id) {
      this.id = id;
    }
  }

  CampaignFeeder(Pool pool, CampaignIntake intake, CampaignSettings settings, Optional<MessageStatusView> statuses,
                 CampaignMetrics metrics) {
    this.pool = pool;
    this.intake = intake;
    this.settings = settings;
    this.statuses = statuses;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    tickTimer = vertx.setPeriodic(settings.tickMs(), id -> tick());
    countTimer = vertx.setPeriodic(STATE_COUNT_MS, id -> countStates());
    countStates();
    if (statuses.isEmpty()) {
      log.warn("campaigns: no status view in this process (analytics module absent): campaigns are fed without the "
          + "ESP_CAMPAIGN_MAX_AHEAD window and complete once fed");
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(countTimer);
    // Another process's feeder takes these campaigns over at once instead of after the lease.
    return pool.preparedQuery(CampaignSql.RELEASE_ALL).execute(Tuple.of(owner)).otherwiseEmpty();
  }

  String owner() {
    return owner;
  }

  private void tick() {
    if (claiming || stopped) {
      return;
    }
    claiming = true;
    pool.preparedQuery(CampaignSql.CLAIM).execute(Tuple.of(owner, settings.leaseMs(), settings.feeds()))
        .onComplete(ar -> {
          claiming = false;
          if (ar.failed()) {
            warn("campaigns: could not claim campaigns to feed: {}", ar.cause().toString());
            return;
          }
          Set<String> leased = new HashSet<>();
          for (Row r : ar.result()) {
            leased.add(r.getString(0));
          }
          feeds.values().removeIf(f -> !f.busy && !leased.contains(f.id));
          // A tenant none of whose campaigns is fed here any more starts again from an empty bucket.
          tenants.keySet().removeIf(t -> feeds.values().stream().noneMatch(f -> t.equals(f.tenant)));
          long lag = 0;
          for (String id : leased) {
            Feed f = feeds.computeIfAbsent(id, Feed::new);
            lag += f.lag;
            if (!f.busy && !stopped) {
              f.busy = true;
              Repeat.whileTrue(context, () -> step(f)).onComplete(done -> {
                f.busy = false;
                if (done.failed()) {
                  warn("campaigns: feeding campaign {} failed (retried next tick): {}", f.id, done.cause().toString());
                }
              });
            }
          }
          metrics.lag(lag);
        });
  }

  /**
   * One step of {@code f}: publishes a pending chunk, or feeds the next one while its window, its rate
   * and its list allow, or ends the campaign once all is settled. Answers whether to step again now:
   * only when more could go at once. A campaign held back by its rate waits for the next tick, so it is
   * fed in chunks of a tick's worth rather than one recipient each time a token comes.
   */
  private Future<Boolean> step(Feed f) {
    if (stopped) {
      return Future.succeededFuture(false);
    }
    return pool.preparedQuery(CampaignSql.FEED_STATE).execute(Tuple.of(f.id, owner)).compose(rows -> {
      if (rows.size() == 0) {
        feeds.remove(f.id);
        return Future.succeededFuture(false);
      }
      Row c = rows.iterator().next();
      if (!"sending".equals(c.getString("state"))) {
        feeds.remove(f.id);
        return pool.preparedQuery(CampaignSql.RELEASE).execute(Tuple.of(f.id, owner)).map(false);
      }
      if (c.getLong("pending_seq") != null) {
        return publishPending(c, c.getLong("pending_seq"), c.getInteger("pending_index")).map(true);
      }
      return counts(f.id).compose(counts -> {
        long fed = c.getLong("fed");
        long settled = counts == null ? fed : CampaignProgress.settled(counts);
        f.lag = Math.max(0, fed - settled);
        if (c.getLong("fed_seq") >= c.getLong("last_seq")) {
          return settled >= fed ? complete(f, fed).map(false) : Future.succeededFuture(false);
        }
        Integer rate = c.getInteger("max_rate_per_sec");
        Integer tenantRate = c.getInteger("tenant_rate");
        f.tenant = c.getString("tenant_id");
        Bucket shared = tenantRate == null ? null : tenants.computeIfAbsent(f.tenant, t -> new Bucket());
        int n = allowance(f, rate, shared, tenantRate, settings.maxAhead() - f.lag);
        if (n < 1) {
          return Future.succeededFuture(false);
        }
        // Taken before the chunk is read and given back after what it did not use: another campaign of
        // the tenant stepping meanwhile sees only what is left.
        f.own.tokens -= n;
        if (shared != null) {
          shared.tokens -= n;
        }
        return feedNext(c, n).transform(ar -> {
          int unused = ar.succeeded() ? n - ar.result() : n;
          f.own.tokens += unused;
          if (shared != null) {
            shared.tokens += unused;
          }
          if (ar.failed()) {
            return Future.failedFuture(ar.cause());
          }
          return Future.succeededFuture(ar.result() > 0 && (rate == null || f.own.tokens >= 1)
              && (shared == null || shared.tokens >= 1));
        });
      });
    });
  }

  /**
   * How many recipients may go now: at most a chunk, the room in the window, the campaign's tokens and
   * its share of its tenant's (the tenant's tokens split among its campaigns this process is feeding,
   * so one campaign does not take them all every tick).
   */
  private int allowance(Feed f, Integer rate, Bucket shared, Integer tenantRate, long room) {
    long n = Math.min(SendChunk.MAX_RECIPIENTS, room);
    if (rate != null) {
      n = Math.min(n, f.own.available(rate));
    }
    if (shared != null) {
      long tokens = shared.available(tenantRate);
      long campaigns = feeds.values().stream().filter(o -> f.tenant.equals(o.tenant)).count();
      n = Math.min(n, tokens < 1 ? 0 : Math.max(1, tokens / Math.max(1, campaigns)));
    }
    return (int) Math.max(0, n);
  }

  private Future<BatchCounts> counts(String id) {
    return statuses.map(v -> v.counts(id)).orElse(Future.succeededFuture(null));
  }

  /** The next {@code n} recipients after the cursor: recorded as pending, published, confirmed. */
  private Future<Integer> feedNext(Row c, int n) {
    long fedSeq = c.getLong("fed_seq");
    String campaignId = c.getString("campaign_id");
    return RecipientRows.next(pool, campaignId, fedSeq, c.getLong("last_seq"), n).compose(list -> {
      if (list.isEmpty()) {
        return pool.preparedQuery(CampaignSql.SKIP_TO_END).execute(Tuple.of(campaignId, owner, fedSeq)).map(0);
      }
      long last = list.get(list.size() - 1).seq();
      return pool.preparedQuery(CampaignSql.SET_PENDING).execute(Tuple.of(campaignId, owner, last, fedSeq))
          .compose(rows -> rows.size() == 0 ? Future.succeededFuture(0)
              : publish(c, list, rows.iterator().next().getInteger(0), last));
    });
  }

  /** A chunk recorded as pending (by this feeder or one that died) published again, the same as before. */
  private Future<Integer> publishPending(Row c, long pendingSeq, int index) {
    return RecipientRows.next(pool, c.getString("campaign_id"), c.getLong("fed_seq"), pendingSeq,
        SendChunk.MAX_RECIPIENTS).compose(list -> publish(c, list, index, pendingSeq));
  }

  private Future<Integer> publish(Row c, List<RecipientRows.Listed> list, int index, long lastSeq) {
    String campaignId = c.getString("campaign_id");
    String tenantId = c.getString("tenant_id");
    List<Recipient> recipients = new ArrayList<>(list.size());
    for (RecipientRows.Listed l : list) {
      recipients.add(new Recipient(CampaignIds.message(campaignId, l.seq()), l.to(), l.data(), l.metadata()));
    }
    CampaignIntake.Send send = new CampaignIntake.Send(Channel.fromWire(c.getString("channel")),
        Priority.fromWire(c.getString("priority")), c.getString("provider"), null,
        Content.fromJson((JsonObject) c.getValue("content")), null);
    long total = c.getLong("recipients");
    int expected = (int) Math.min(Integer.MAX_VALUE, (total + SendChunk.MAX_RECIPIENTS - 1) / SendChunk.MAX_RECIPIENTS);
    OffsetDateTime started = c.getOffsetDateTime("started_at");
    List<SendChunk> chunks = intake.chunks(send, tenantId, campaignId, index, expected, recipients,
        started == null ? Instant.now() : started.toInstant());
    String trace = UUID.nameUUIDFromBytes(campaignId.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    return intake.writeMessages(pool, chunks)
        .compose(v -> {
          List<Future<Void>> sent = new ArrayList<>(chunks.size());
          chunks.forEach(ch -> sent.add(intake.publish(ch, trace)));
          return Future.all(sent);
        })
        .compose(v -> pool.preparedQuery(CampaignSql.CONFIRM).execute(Tuple.of(campaignId, owner, recipients.size(),
            chunks.size(), lastSeq)))
        .map(rows -> {
          metrics.fed(recipients.size());
          return rows.rowCount() == 0 ? 0 : recipients.size();
        });
  }

  private Future<Void> complete(Feed f, long fed) {
    return pool.preparedQuery(CampaignSql.COMPLETE).execute(Tuple.of(f.id, owner)).map(rows -> {
      if (rows.rowCount() > 0) {
        log.info("campaign {} completed: {} recipients fed and settled", f.id, fed);
      }
      feeds.remove(f.id);
      return null;
    });
  }

  private void countStates() {
    pool.query(CampaignSql.STATE_COUNTS).execute().onSuccess(rows -> {
      Map<String, Long> counts = new HashMap<>();
      for (Row r : rows) {
        counts.put(r.getString(0), r.getLong(1));
      }
      metrics.states(counts);
    });
  }

  /** At most one warning a few seconds: a PostgreSQL outage must not flood the log every tick. */
  private void warn(String format, Object... args) {
    long now = System.currentTimeMillis();
    if (now - lastWarning > 5_000) {
      lastWarning = now;
      log.warn(format, args);
    }
  }
}
