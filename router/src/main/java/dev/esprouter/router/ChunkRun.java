package dev.esprouter.router;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.facts.SendFacts;
import dev.esprouter.common.routing.ChunkGate;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.Weights;
import dev.esprouter.providers.send.ProviderCall;
import dev.esprouter.providers.send.RecipientOutcome;
import dev.esprouter.providers.send.SendOutcome;
import dev.esprouter.router.ChunkProcessor.Parts;
import dev.esprouter.router.ledger.LedgerRequest;
import dev.esprouter.router.ledger.LedgerRequest.ChunkRef;
import dev.esprouter.router.ledger.LedgerRequest.Intent;
import dev.esprouter.router.ledger.LedgerState;
import dev.esprouter.router.provider.ProviderClient;
import dev.esprouter.router.routing.SharePlanner;
import dev.esprouter.router.store.DeadLetters;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * One delivery of one chunk, from its first ledger write to its facts (docs/LEDGER.md).
 *
 * <ol>
 *   <li>Plan: split the recipients by domain group and weights over the providers that may take
 *       traffic, cut each share into the provider's calls and reserve a slot for each (rate limit,
 *       in-flight cap, breaker; a call that gets none within its lane's deadline fails over at once).</li>
 *   <li>Begin: the chunk's row and the intents of the reserved calls, in one ledger write. If the
 *       ledger already had the chunk (a redelivery), nothing was written: resume instead.</li>
 *   <li>Call: each answer is written to the ledger as it comes; recipients a provider answered
 *       transiently go to the providers not tried yet for them (new intents, new calls).</li>
 *   <li>Finish: recipients no provider took go to retry (or are dead after the last attempt); dead
 *       letters; the chunk is written done with those placements; then its facts, retry and DLQ
 *       records are published.</li>
 * </ol>
 *
 * <p>Resume (a redelivery): the ledger's answered calls settle their recipients (accepted or refused
 * for good: never sent again); an open call whose owner lives is waited for; an open call whose
 * owner died is in doubt — its recipients are sent again (the one window for a duplicate). A chunk
 * already done only re-publishes its facts and records, which their readers apply idempotently.
 */
final class ChunkRun {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChunkRun.class);

  private static final long RECHECK_OPEN_MS = 500;

  /** A call of a round and the slot it got, or why it got none. */
  private record Reserved(ProviderClient client, ProviderCall call, ProviderClient.Permit permit, String refusal,
                          int callNo) {
  }

  /** One round of calls: the plan and its reserved calls. */
  private record Round(SharePlanner.Plan plan, List<Reserved> calls) {

    List<Intent> intents() {
      List<Intent> out = new ArrayList<>();
      for (Reserved r : calls) {
        if (r.permit != null) {
          out.add(new Intent(r.callNo, r.client.name(), ids(r.call.recipients())));
        }
      }
      return out;
    }

    void releaseAll() {
      for (Reserved r : calls) {
        if (r.permit != null) {
          r.client.release(r.permit);
        }
      }
    }
  }

  private final Parts p;
  private final SendChunk chunk;
  private final ChunkGate.Decision decision;
  private final BooleanSupplier stopping;
  private final ChunkRef ref;
  private final Map<String, Recipient> byId = new LinkedHashMap<>();
  private final Set<String> settled = new HashSet<>();
  private final List<SendFacts.Accepted> accepted = new ArrayList<>();
  private final List<SendFacts.Failed> failed = new ArrayList<>();
  private final List<SendFacts.Failed> failedBeforeCalls = new ArrayList<>();
  private final List<SendFacts.Failover> failovers = new ArrayList<>();
  private final List<DeadLetters.Entry> permanentLetters = new ArrayList<>();
  private final List<Recipient> unplaced = new ArrayList<>();
  private final List<Recipient> cancelled = new ArrayList<>();
  private final List<Future<Void>> answers = new ArrayList<>();
  private String unplacedReason;
  private int nextCallNo;

  ChunkRun(Parts parts, SendChunk chunk, ChunkGate.Decision decision, BooleanSupplier stopping) {
    this.p = parts;
    this.chunk = chunk;
    this.decision = decision;
    this.stopping = stopping;
    this.ref = new ChunkRef(chunk.ledgerKey(), chunk.attempt());
    for (Recipient r : chunk.recipients()) {
      byId.putIfAbsent(r.messageId(), r);
    }
  }

  Future<Void> run() {
    if (decision.kind() != ChunkGate.Decision.Kind.PROCEED) {
      return withoutCalls();
    }
    List<Recipient> all = new ArrayList<>(byId.values());
    return planAndReserve(all, EnumSet.noneOf(ProviderName.class)).compose(round -> {
      LedgerRequest.Begin begin = new LedgerRequest.Begin(ref, chunk.tenantId(), chunk.batchId(), chunk.chunkIndex(),
          chunk.campaignId(), chunk.channel().wire(), byId.size(), round.plan().weightsJson().encode(),
          round.plan().splitJson().encode(), round.intents());
      return p.writer().begin(begin).onFailure(err -> round.releaseAll()).compose(fresh -> {
        if (!fresh) {
          round.releaseAll();
          return resume();
        }
        reportWeights(round.plan());
        return fire(round, EnumSet.noneOf(ProviderName.class), all);
      });
    }).compose(v -> finish());
  }

  // --- planning and calling ------------------------------------------------------------------

  private Future<Round> planAndReserve(List<Recipient> rs, Set<ProviderName> tried) {
    if (stopping.getAsBoolean()) {
      return Future.failedFuture(new ChunkProcessor.Stopping());
    }
    return p.planner().plan(chunk, rs, tried, this::usable).compose(plan -> {
      boolean elsewhere = hasAlternative(tried);
      List<Future<ProviderClient.Permit>> permits = new ArrayList<>();
      List<ProviderClient> clients = new ArrayList<>();
      List<ProviderCall> calls = new ArrayList<>();
      plan.shares().forEach((provider, share) -> {
        ProviderClient client = p.clients().get(provider);
        for (ProviderCall call : client.dialect().calls(chunk, share)) {
          clients.add(client);
          calls.add(call);
          permits.add(client.reserve(chunk.priority(), call, elsewhere));
        }
      });
      return Future.join(new ArrayList<>(permits)).transform(ignored -> {
        List<Reserved> reserved = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
          Future<ProviderClient.Permit> f = permits.get(i);
          reserved.add(f.succeeded()
              ? new Reserved(clients.get(i), calls.get(i), f.result(), null, nextCallNo++)
              : new Reserved(clients.get(i), calls.get(i), null, f.cause().getMessage(), -1));
        }
        return Future.succeededFuture(new Round(plan, reserved));
      });
    });
  }

  /**
   * True when a share refused by its provider's limiter could go to another one: no pin, and at
   * least two usable providers of the channel not yet tried for these recipients.
   */
  private boolean hasAlternative(Set<ProviderName> tried) {
    if (chunk.provider() != null) {
      return false;
    }
    int candidates = 0;
    for (ProviderName provider : ProviderName.of(chunk.channel())) {
      if (!tried.contains(provider) && usable(provider)) {
        candidates++;
      }
    }
    return candidates > 1;
  }

  private boolean usable(ProviderName provider) {
    ProviderClient c = p.clients().get(provider);
    return c != null && c.available();
  }

  /** Places {@code rs} on the providers not yet tried for them: a new round with its intents written first. */
  private Future<Void> route(List<Recipient> rs, Set<ProviderName> tried) {
    if (rs.isEmpty()) {
      return Future.succeededFuture();
    }
    return planAndReserve(rs, tried).compose(round -> {
      List<Intent> intents = round.intents();
      // A failed write makes no call: the slots go back (the chunk fails and is tried again or dead-lettered).
      Future<Void> written = intents.isEmpty() ? Future.succeededFuture()
          : p.writer().intents(new LedgerRequest.Intents(ref, intents)).onFailure(err -> round.releaseAll());
      return written.compose(v -> fire(round, tried, rs));
    });
  }

  /** Makes the round's calls; every branch ends with its recipients placed. */
  private Future<Void> fire(Round round, Set<ProviderName> tried, List<Recipient> rs) {
    if (round.plan().shares().isEmpty()) {
      unplaced.addAll(rs);
      if (unplacedReason == null) {
        unplacedReason = tried.isEmpty() ? "no healthy provider for " + chunk.channel().wire()
            : "every " + chunk.channel().wire() + " provider failed";
      }
      return Future.succeededFuture();
    }
    List<Future<Void>> branches = new ArrayList<>();
    for (Reserved r : round.calls()) {
      ProviderName provider = r.client().name();
      if (r.permit() == null) {
        List<Recipient> again = r.call().recipients();
        for (Recipient x : again) {
          failovers.add(new SendFacts.Failover(x.messageId(), provider, "capacity", r.refusal()));
        }
        unplacedReason = provider.wire() + ": " + r.refusal();
        branches.add(route(again, with(tried, provider)));
      } else {
        branches.add(r.client().call(r.permit(), r.call())
            .compose(answer -> onAnswer(r, answer, tried)));
      }
    }
    return Future.join(branches).mapEmpty();
  }

  private Future<Void> onAnswer(Reserved r, ProviderClient.Answer answer, Set<ProviderName> tried) {
    ProviderName provider = r.client().name();
    List<Recipient> callRecipients = r.call().recipients();
    Map<String, RecipientOutcome> byRecipient = new LinkedHashMap<>();
    for (RecipientOutcome o : answer.result().recipients()) {
      byRecipient.put(o.recipient().messageId(), o);
    }
    StringBuilder letters = new StringBuilder(callRecipients.size());
    List<String> providerIds = new ArrayList<>(callRecipients.size());
    List<String> reasons = new ArrayList<>(callRecipients.size());
    List<String> acceptedIds = new ArrayList<>();
    List<String> acceptedProviderIds = new ArrayList<>();
    List<Recipient> again = new ArrayList<>();
    for (Recipient x : callRecipients) {
      RecipientOutcome o = byRecipient.get(x.messageId());
      SendOutcome outcome = o == null ? SendOutcome.TRANSIENT : o.outcome();
      String reason = o == null ? "no answer for this recipient" : o.reason();
      String pid = o == null ? null : o.providerMessageId();
      providerIds.add(pid);
      reasons.add(outcome == SendOutcome.ACCEPTED ? null : reason);
      if (outcome == SendOutcome.ACCEPTED) {
        letters.append('a');
        acceptedIds.add(x.messageId());
        acceptedProviderIds.add(pid);
        settled.add(x.messageId());
      } else if (outcome == SendOutcome.REJECTED) {
        letters.append('r');
        settled.add(x.messageId());
        failed.add(new SendFacts.Failed(x.messageId(), provider, reason));
        permanentLetters.add(new DeadLetters.Entry(x, "permanent", reason));
      } else {
        letters.append(answer.made() ? 't' : 'n');
        again.add(x);
        failovers.add(new SendFacts.Failover(x.messageId(), provider, outcome.wire(), reason));
        unplacedReason = reason;
      }
    }
    if (!acceptedIds.isEmpty()) {
      accepted.add(new SendFacts.Accepted(provider, acceptedIds, compact(acceptedProviderIds),
          SharePlanner.Plan.groupsOf(recipients(acceptedIds), p.planner().groups(), chunk.channel())));
    }
    answers.add(p.writer().answered(new LedgerRequest.Answered(ref, r.callNo(), letters.toString(),
        compact(providerIds), reasons)));
    return route(again, with(tried, provider));
  }

  // --- redelivery ------------------------------------------------------------------------------

  private Future<Void> resume() {
    return p.reader().load(ref).compose(state -> {
      if (!state.exists()) {
        return Future.failedFuture(new IllegalStateException("chunk " + ref + " is neither new nor in the ledger"));
      }
      if (state.done()) {
        return republish(state);
      }
      nextCallNo = state.nextCallNo();
      absorb(state);
      return openCallsSettled(state).compose(wait -> {
        if (wait) {
          clearAbsorbed();
          return p.vertx().timer(RECHECK_OPEN_MS).compose(t -> resume());
        }
        List<Recipient> remaining = remaining();
        return route(remaining, EnumSet.noneOf(ProviderName.class));
      });
    });
  }

  /** The answers the ledger holds: accepted and refused recipients are settled. */
  private void absorb(LedgerState state) {
    for (LedgerState.Call c : state.calls()) {
      if (c.open()) {
        continue;
      }
      List<String> ids = new ArrayList<>();
      List<String> pids = new ArrayList<>();
      for (int i = 0; i < c.messageIds().size(); i++) {
        String id = c.messageIds().get(i);
        char res = c.result(i);
        if (res == 'a' && settled.add(id)) {
          ids.add(id);
          pids.add(c.providerIdOf(i));
        } else if (res == 'r' && settled.add(id)) {
          failed.add(new SendFacts.Failed(id, c.provider(), c.reasonOf(i)));
          Recipient x = byId.get(id);
          if (x != null) {
            permanentLetters.add(new DeadLetters.Entry(x, "permanent", c.reasonOf(i)));
          }
        }
      }
      if (!ids.isEmpty()) {
        accepted.add(new SendFacts.Accepted(c.provider(), ids, compact(pids),
            SharePlanner.Plan.groupsOf(recipients(ids), p.planner().groups(), chunk.channel())));
      }
    }
  }

  private void clearAbsorbed() {
    settled.clear();
    accepted.clear();
    failed.clear();
    permanentLetters.clear();
  }

  /**
   * True when an open call of a live owner (this process, or another that still beats) may still be
   * answered: wait for it. Calls of dead owners are in doubt: their recipients are sent again.
   */
  private Future<Boolean> openCallsSettled(LedgerState state) {
    Set<String> owners = new HashSet<>();
    List<LedgerState.Call> open = new ArrayList<>();
    for (LedgerState.Call c : state.calls()) {
      if (c.open() && !settled.containsAll(c.messageIds())) {
        open.add(c);
        owners.add(c.incarnation());
      }
    }
    if (open.isEmpty()) {
      return Future.succeededFuture(false);
    }
    long maxCallMs = p.settings().requestTimeoutMs() + p.settings().deadAfterMs();
    return p.reader().alive(owners, p.settings().deadAfterMs()).map(alive -> {
      long now = System.currentTimeMillis();
      int inDoubt = 0;
      for (LedgerState.Call c : open) {
        boolean live = c.incarnation().equals(p.incarnation()) || alive.contains(c.incarnation());
        if (live && now - c.createdAtMs() < maxCallMs) {
          return true;
        }
        for (String id : c.messageIds()) {
          if (!settled.contains(id)) {
            inDoubt++;
          }
        }
      }
      if (inDoubt > 0) {
        p.metrics().inDoubt(inDoubt);
        log.warn("chunk {}: {} recipients in calls whose owner died before writing the answer; sending them again "
            + "(a provider may have accepted them: possible duplicates)", ref, inDoubt);
      }
      return false;
    });
  }

  private List<Recipient> remaining() {
    List<Recipient> out = new ArrayList<>();
    for (Recipient r : byId.values()) {
      if (!settled.contains(r.messageId())) {
        out.add(r);
      }
    }
    return out;
  }

  // --- gates: fail or cancel without calling ---------------------------------------------------

  /**
   * A gate failed or cancelled the chunk: every recipient not already settled by an earlier delivery
   * is failed (or cancelled) without a call. The chunk's row is written (with no call) so that a
   * redelivery finds it done.
   */
  private Future<Void> withoutCalls() {
    return p.reader().load(ref).compose(state -> {
      if (state.done()) {
        return republish(state);
      }
      absorb(state);
      for (Recipient r : remaining()) {
        if (decision.kind() == ChunkGate.Decision.Kind.CANCEL) {
          cancelled.add(r);
        } else {
          failedBeforeCalls.add(new SendFacts.Failed(r.messageId(), null, decision.reason()));
          permanentLetters.add(new DeadLetters.Entry(r, "permanent", decision.reason()));
        }
        settled.add(r.messageId());
      }
      Future<Boolean> row = state.exists() ? Future.succeededFuture(true)
          : p.writer().begin(new LedgerRequest.Begin(ref, chunk.tenantId(), chunk.batchId(), chunk.chunkIndex(),
              chunk.campaignId(), chunk.channel().wire(), byId.size(), null, null, List.of()));
      return row.mapEmpty();
    }).compose(v -> finish());
  }

  // --- finishing -------------------------------------------------------------------------------

  private Future<Void> finish() {
    return Future.all(new ArrayList<>(answers)).compose(v -> {
      boolean exhausted = chunk.attempt() + 1 >= p.settings().maxAttempts();
      List<Recipient> retry = exhausted ? List.of() : unplaced;
      List<Recipient> dead = exhausted ? unplaced : List.of();
      Instant notBefore = retry.isEmpty() ? null : Instant.now().plusMillis(retryDelayMs());
      List<DeadLetters.Entry> letters = new ArrayList<>(permanentLetters);
      for (Recipient r : dead) {
        letters.add(new DeadLetters.Entry(r, "exhausted", unplacedReason));
      }
      SendFacts.Moved retryMoved = moved(retry, unplacedReason, notBefore);
      SendFacts.Moved deadMoved = moved(dead, unplacedReason, null);
      SendFacts.Moved cancelMoved = moved(cancelled, decision.reason(), null);
      JsonObject placed = placed(retryMoved, deadMoved, cancelMoved);
      SendFacts facts = facts(retryMoved, deadMoved, cancelMoved, true);
      return p.deadLetters().write(chunk, chunk.attempt() + 1, letters)
          .compose(x -> p.writer().done(new LedgerRequest.Done(ref, placed.isEmpty() ? null : placed.encode())))
          .compose(x -> publish(facts, retry, notBefore, dead))
          .onSuccess(x -> {
            p.metrics().retried(retry.size());
            p.metrics().deadLettered(dead.size());
          });
    });
  }

  /** A chunk found done in the ledger: its facts, retry and DLQ records again, from the ledger alone. */
  private Future<Void> republish(LedgerState state) {
    absorb(state);
    JsonObject placed = state.placed() == null ? new JsonObject() : state.placed();
    SendFacts.Moved retry = movedOf(placed.getJsonObject("retry"));
    SendFacts.Moved dead = movedOf(placed.getJsonObject("dead"));
    SendFacts.Moved cancel = movedOf(placed.getJsonObject("cancelled"));
    JsonArray before = placed.getJsonArray("failed", new JsonArray());
    for (int i = 0; i < before.size(); i++) {
      JsonObject f = before.getJsonObject(i);
      failedBeforeCalls.add(new SendFacts.Failed(f.getString("id"), null, f.getString("reason")));
    }
    SendFacts facts = facts(retry, dead, cancel, false);
    return publish(facts, recipients(retry.ids()), retry.notBefore(), recipients(dead.ids()));
  }

  private Future<Void> publish(SendFacts facts, List<Recipient> retry, Instant notBefore, List<Recipient> dead) {
    List<Future<?>> sends = new ArrayList<>();
    if (!facts.isEmpty()) {
      sends.add(p.producer().send(SendRecords.facts(p.topics().outcomes(), facts)));
    }
    if (!retry.isEmpty()) {
      sends.add(p.producer().send(SendRecords.of(p.topics().retry(),
          chunk.withRecipients(retry, chunk.attempt() + 1, notBefore))));
    }
    if (!dead.isEmpty()) {
      sends.add(p.producer().send(SendRecords.of(p.topics().deadLetters(),
          chunk.withRecipients(dead, chunk.attempt() + 1, null))));
    }
    return Future.all(sends).mapEmpty();
  }

  private SendFacts facts(SendFacts.Moved retry, SendFacts.Moved dead, SendFacts.Moved cancel, boolean withFailovers) {
    List<SendFacts.Failed> allFailed = new ArrayList<>(failed);
    allFailed.addAll(failedBeforeCalls);
    return new SendFacts(ref.chunkKey(), ref.attempt(), chunk.tenantId(), chunk.batchId(), chunk.campaignId(),
        chunk.channel(), Instant.now(), List.copyOf(accepted), allFailed,
        withFailovers ? List.copyOf(failovers) : List.of(), retry, dead, cancel, List.of());
  }

  private JsonObject placed(SendFacts.Moved retry, SendFacts.Moved dead, SendFacts.Moved cancel) {
    JsonObject o = new JsonObject();
    putMoved(o, "retry", retry);
    putMoved(o, "dead", dead);
    putMoved(o, "cancelled", cancel);
    if (!failedBeforeCalls.isEmpty()) {
      JsonArray a = new JsonArray();
      failedBeforeCalls.forEach(f -> a.add(new JsonObject().put("id", f.id()).put("reason", f.reason())));
      o.put("failed", a);
    }
    return o;
  }

  private static void putMoved(JsonObject o, String key, SendFacts.Moved m) {
    if (m.isEmpty()) {
      return;
    }
    JsonObject j = new JsonObject().put("ids", new JsonArray(new ArrayList<>(m.ids()))).put("reason", m.reason());
    if (m.notBefore() != null) {
      j.put("not_before", m.notBefore().toString());
    }
    o.put(key, j);
  }

  private static SendFacts.Moved movedOf(JsonObject j) {
    if (j == null) {
      return SendFacts.Moved.NONE;
    }
    List<String> ids = new ArrayList<>();
    j.getJsonArray("ids", new JsonArray()).forEach(x -> ids.add((String) x));
    String nb = j.getString("not_before");
    return new SendFacts.Moved(ids, j.getString("reason"), nb == null ? null : Instant.parse(nb));
  }

  private static SendFacts.Moved moved(List<Recipient> rs, String reason, Instant notBefore) {
    return rs.isEmpty() ? SendFacts.Moved.NONE : new SendFacts.Moved(ids(rs), reason, notBefore);
  }

  /**
   * Full-jitter backoff, but not before an open breaker of the channel can half-open: retrying
   * sooner would only spend attempts on a provider that is known to be refusing.
   */
  private long retryDelayMs() {
    long backoff = p.settings().backoffMs(chunk.attempt(), ThreadLocalRandom.current().nextDouble());
    for (ProviderName provider : ProviderName.of(chunk.channel())) {
      ProviderClient c = p.clients().get(provider);
      if (c != null && !c.available()) {
        return Math.max(backoff, p.settings().breakerResetMs());
      }
    }
    return backoff;
  }

  private void reportWeights(SharePlanner.Plan plan) {
    Weights w = plan.weights().get(DomainGroup.OTHER);
    if (w == null && !plan.weights().isEmpty()) {
      w = plan.weights().values().iterator().next();
    }
    if (w != null) {
      w.points().forEach(p.metrics()::weight);
    }
  }

  private List<Recipient> recipients(List<String> ids) {
    List<Recipient> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      Recipient r = byId.get(id);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<String> ids(List<Recipient> rs) {
    List<String> out = new ArrayList<>(rs.size());
    for (Recipient r : rs) {
      out.add(r.messageId());
    }
    return out;
  }

  /** Provider ids as stored: none when all are missing, one when all are the same, else one each. */
  private static List<String> compact(List<String> pids) {
    String first = null;
    boolean same = true;
    boolean any = false;
    for (String pid : pids) {
      if (pid != null) {
        any = true;
      }
      if (first == null && pid != null) {
        first = pid;
      }
      if (pid == null || !pid.equals(pids.get(0))) {
        same = false;
      }
    }
    if (!any) {
      return List.of();
    }
    if (same && pids.size() > 1) {
      return List.of(first);
    }
    List<String> out = new ArrayList<>(pids.size());
    for (String pid : pids) {
      out.add(pid == null ? "" : pid);
    }
    return out;
  }

  private static Set<ProviderName> with(Set<ProviderName> tried, ProviderName p) {
    Set<ProviderName> out = EnumSet.noneOf(ProviderName.class);
    out.addAll(tried);
    out.add(p);
    return out;
  }
}
