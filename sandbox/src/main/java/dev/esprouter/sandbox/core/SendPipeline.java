package dev.esprouter.sandbox.core;

import dev.esprouter.common.Channel;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.DomainGroups;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What stands in front of every provider's send routes: it applies the current {@link Profile}
 * (down, hang, throttle, error rate, latency), keeps the provider's {@link ProviderRecord}, draws
 * each accepted recipient's outcome (from its domain's odds where the profile has some) and queues
 * its webhooks. Shared by every HTTP event loop, so
 * everything here is thread-safe.
 */
public final class SendPipeline {

  /** Hung requests kept beyond this are closed instead, so a long hang cannot hold unbounded connections. */
  private static final int MAX_HUNG = 10_000;
  /** The router's own domain → group map, so that a group here is the group the router splits by. */
  private static final DomainGroups GROUPS = DomainGroups.standard();
  private static final int GROUP_COUNT = DomainGroup.values().length;

  private final ProviderDialect dialect;
  private final Channel channel;
  private final Profile defaults;
  private final AtomicReference<Profile> profile;
  private final ProviderRecord record;
  private final WebhookLane lane;
  private final Ids ids;
  private final long drawSalt;
  private final Throttle throttle = new Throttle();
  private final List<HttpConnection> hung = new ArrayList<>();

  /** {@code acceptedIds}: the router ids accepted by any provider of the sandbox (duplicates across providers). */
  public SendPipeline(ProviderDialect dialect, Profile defaults, int webhookQueue, long seed, LongHashSet acceptedIds) {
    this.record = new ProviderRecord(acceptedIds);
    this.dialect = dialect;
    this.channel = dialect.name().channel();
    this.defaults = defaults;
    this.profile = new AtomicReference<>(defaults);
    this.lane = new WebhookLane(webhookQueue, dialect.webhooks(), record);
    long providerSeed = Hashing.mix(seed ^ Hashing.hash64(dialect.name().wire()));
    this.ids = new Ids(providerSeed);
    this.drawSalt = Hashing.mix(providerSeed + 1);
  }

  /**
   * The first handler of every request under the provider's prefix: counts it and lets the
   * profile's faults strike before the provider looks at it.
   */
  public void admit(RoutingContext ctx) {
    record.requests.increment();
    Profile p = profile.get();
    if (p.down()) {
      record.rejected.increment();
      ctx.request().connection().close();
      return;
    }
    if (p.hang()) {
      record.rejected.increment();
      hold(ctx.request().connection());
      return;
    }
    if (p.throttleAfterPerSec() > 0 && !throttle.tryAcquire(p.throttleAfterPerSec(), System.nanoTime())) {
      refuse(ctx, dialect.throttled(p, System.currentTimeMillis()));
      return;
    }
    if (p.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < p.errorRate()) {
      refuse(ctx, dialect.serverError(p.errorStatus()));
      return;
    }
    ctx.next();
  }

  /** Answers a request that neither sends nor is refused (Telegram's getMe, setWebhook). */
  public void respond(RoutingContext ctx, Reply reply) {
    answer(ctx, reply);
  }

  /** Answers a refused request (bad auth, bad body, over a limit, a fault) after the profile's latency. */
  public void refuse(RoutingContext ctx, Reply reply) {
    record.rejected.increment();
    answer(ctx, reply);
  }

  /**
   * Records the accepted recipients, draws their outcomes, queues their webhooks and answers.
   * {@code refusedElements} counts the parts of the same request the provider refused (batch
   * elements, invalid recipients) while accepting the rest.
   */
  public void accept(RoutingContext ctx, List<Delivery> accepted, int refusedElements, Reply reply) {
    record.messages.add(accepted.size());
    record.rejected.add(refusedElements);
    Profile p = profile.get();
    long now = System.currentTimeMillis();
    List<Pending> pending = new ArrayList<>(accepted.size());
    int[] byGroup = new int[GROUP_COUNT];
    for (Delivery d : accepted) {
      long key = drawKey(d);
      if (d.routerId() != null && !record.routerIds.add(key)) {
        record.duplicates.increment();
      }
      DomainGroup g = GROUPS.of(channel, d.address());
      byGroup[g.ordinal()]++;
      Outcome o = draw(p.outcomesByDomain().of(d.address(), g, p.outcomes()), key);
      dialect.drawn(d, o);
      pending.add(new Pending(d, o, now + p.webhookDelayMs(), now));
    }
    record.addByGroup(byGroup);
    if (p.webhooks()) {
      lane.offer(pending);
    }
    answer(ctx, reply);
  }

  /** Counts a request refused before it reached the pipeline (a body over the limit). */
  public void refuseTooLarge(RoutingContext ctx) {
    record.requests.increment();
    refuse(ctx, dialect.tooLarge());
  }

  public Ids ids() {
    return ids;
  }

  public ProviderDialect dialect() {
    return dialect;
  }

  public ProviderRecord record() {
    return record;
  }

  public WebhookLane lane() {
    return lane;
  }

  public Profile profile() {
    return profile.get();
  }

  /** Applies a profile change at once; releases held requests when hang is switched off. */
  public Profile change(JsonObject patch) {
    Profile next = profile.updateAndGet(p -> p.with(patch));
    if (!next.hang()) {
      releaseHung();
    }
    return next;
  }

  /**
   * Zeroes the record, restores the default profile, forgets queued webhooks and held requests.
   * Provider ids keep counting: ids handed out before a reset never come back after it, so events
   * stored by the router before a reset are never mistaken for later ones.
   */
  public void reset() {
    profile.set(defaults);
    record.reset();
    lane.clear();
    throttle.reset();
    dialect.reset();
    releaseHung();
  }

  /** The router id's hash (also the duplicate check's key), or the address's with the provider id. */
  private static long drawKey(Delivery d) {
    return Hashing.hash64(d.routerId() != null ? d.routerId() : d.address() + "#" + d.providerId());
  }

  private Outcome draw(OutcomeOdds odds, long key) {
    long h = key ^ drawSalt;
    return odds.draw(
        Hashing.unit(Hashing.mix(h + 0x9e3779b97f4a7c15L)),
        Hashing.unit(Hashing.mix(h + 2 * 0x9e3779b97f4a7c15L)),
        Hashing.unit(Hashing.mix(h + 3 * 0x9e3779b97f4a7c15L)));
  }

  private void answer(RoutingContext ctx, Reply reply) {
    long delay = profile.get().latencyMs(ThreadLocalRandom.current().nextGaussian());
    if (delay <= 0) {
      write(ctx.response(), reply);
    } else {
      ctx.vertx().setTimer(delay, t -> write(ctx.response(), reply));
    }
  }

  private static void write(HttpServerResponse response, Reply reply) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(reply.status());
    reply.headers().forEach(response::putHeader);
    response.end(reply.body());
  }

  private void hold(HttpConnection connection) {
    boolean close;
    synchronized (hung) {
      close = hung.size() >= MAX_HUNG;
      if (!close) {
        hung.add(connection);
      }
    }
    if (close) {
      connection.close();
    }
  }

  private void releaseHung() {
    List<HttpConnection> release;
    synchronized (hung) {
      release = new ArrayList<>(hung);
      hung.clear();
    }
    // A hung request is never answered: the client sees its connection close, as after a timeout.
    release.forEach(HttpConnection::close);
  }
}
