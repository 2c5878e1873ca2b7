package dev.esprouter.router.routing;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.Weights;
import dev.esprouter.providers.send.RecipientOutcome;
import dev.esprouter.providers.send.SendOutcome;
import dev.esprouter.router.provider.ProviderClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a chunk's recipients over the providers of its channel by weight (largest remainder,
 * {@link Weights#split}), sends every share at once, and fails over: recipients a provider answered
 * transiently (or throttled, or refused for configuration) are re-split at once over the providers
 * not yet tried, by the same weights. Recipients no healthy provider took are placed {@code RETRY};
 * permanent answers are {@code FAILED} and never fail over (the next provider would refuse them too).
 */
public final class ChunkRouter {

  private final Map<ProviderName, ProviderClient> clients;
  private final ProviderHealth health;

  public ChunkRouter(Map<ProviderName, ProviderClient> clients, ProviderHealth health) {
    this.clients = clients;
    this.health = health;
  }

  /** Routes {@code recipients} (those of the chunk still to send) by {@code weights}. */
  public Future<RoutingResult> route(SendChunk chunk, List<Recipient> recipients, Weights weights) {
    RoutingResult result = new RoutingResult();
    return deliver(chunk, recipients, weights, EnumSet.noneOf(ProviderName.class), "no provider enabled", result)
        .map(v -> result);
  }

  private Future<Void> deliver(SendChunk chunk, List<Recipient> rs, Weights weights, Set<ProviderName> tried,
                               String lastReason, RoutingResult result) {
    if (rs.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<ProviderName> out = EnumSet.copyOf(tried);
    out.addAll(health.unavailable());
    for (ProviderName p : ProviderName.of(weights.channel())) {
      if (!clients.containsKey(p)) {
        out.add(p);
      }
    }
    Weights available = weights.excluding(out);
    if (available.isEmpty()) {
      String reason = tried.isEmpty() ? "no healthy provider for " + weights.channel().wire() : lastReason;
      for (Recipient r : rs) {
        result.place(new Placement(r, Placement.Kind.RETRY, null, null, reason));
      }
      return Future.succeededFuture();
    }
    Map<ProviderName, Integer> split = available.split(rs.size());
    result.firstSplit(available, split);
    List<Future<Void>> parts = new ArrayList<>(split.size());
    int from = 0;
    for (Map.Entry<ProviderName, Integer> e : split.entrySet()) {
      List<Recipient> share = rs.subList(from, from + e.getValue());
      from += e.getValue();
      ProviderName p = e.getKey();
      parts.add(clients.get(p).send(chunk, share).compose(outcomes -> {
        List<Recipient> again = new ArrayList<>();
        String reason = lastReason;
        for (RecipientOutcome o : outcomes) {
          if (o.outcome() == SendOutcome.ACCEPTED) {
            result.place(new Placement(o.recipient(), Placement.Kind.SENT, p, o.providerMessageId(), null));
          } else if (o.outcome() == SendOutcome.REJECTED) {
            result.place(new Placement(o.recipient(), Placement.Kind.FAILED, p, null, o.reason()));
          } else {
            again.add(o.recipient());
            reason = o.reason();
            result.event(o.recipient(), p, "failover", new JsonObject().put("class", o.outcome().wire())
                .put("reason", o.reason()));
          }
        }
        Set<ProviderName> nextTried = EnumSet.copyOf(tried);
        nextTried.add(p);
        return deliver(chunk, again, weights, nextTried, reason, result);
      }));
    }
    return Future.join(parts).mapEmpty();
  }
}
