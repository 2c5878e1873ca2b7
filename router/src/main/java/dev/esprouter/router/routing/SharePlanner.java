package dev.esprouter.router.routing;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.DomainGroups;
import dev.esprouter.common.routing.WeightQuery;
import dev.esprouter.common.routing.Weights;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides which provider gets which recipients of a chunk: the recipients are grouped by their
 * domain group (Gmail, Microsoft, ... — DESIGN.md § Weights), each group is split by that group's
 * weights (largest remainder, {@link Weights#split}) over the providers that may take traffic now,
 * and the shares of a provider are merged so that one bulk call carries all of them. A pin sends
 * everything to the pinned provider.
 */
public final class SharePlanner {

  /**
   * The recipients each provider gets (in chunk order), the weights each group was split by and
   * how many each provider got; {@code shares} empty when no provider may take them.
   */
  public record Plan(Map<ProviderName, List<Recipient>> shares, Map<DomainGroup, Weights> weights,
                     Map<ProviderName, Integer> split) {

    public JsonObject weightsJson() {
      JsonObject o = new JsonObject();
      weights.forEach((g, w) -> o.put(g.wire(), w.toJson()));
      return o;
    }

    public JsonObject splitJson() {
      JsonObject o = new JsonObject();
      split.forEach((p, n) -> o.put(p.wire(), n));
      return o;
    }

    /** How many of each provider's share are in each domain group. */
    public static Map<DomainGroup, Integer> groupsOf(List<Recipient> rs, DomainGroups groups,
                                                      dev.esprouter.common.Channel channel) {
      Map<DomainGroup, Integer> out = new EnumMap<>(DomainGroup.class);
      for (Recipient r : rs) {
        out.merge(groups.of(channel, r.to()), 1, Integer::sum);
      }
      return out;
    }
  }

  private final ChannelWeights weights;
  private final DomainGroups groups;

  public SharePlanner(ChannelWeights weights, DomainGroups groups) {
    this.weights = weights;
    this.groups = groups;
  }

  public DomainGroups groups() {
    return groups;
  }

  /**
   * Plans {@code rs} (recipients of {@code chunk}) over the providers for which {@code usable} holds
   * and that are not in {@code tried}.
   */
  public Future<Plan> plan(SendChunk chunk, List<Recipient> rs, Set<ProviderName> tried,
                           Predicate<ProviderName> usable) {
    Map<DomainGroup, List<Recipient>> byGroup = new LinkedHashMap<>();
    for (Recipient r : rs) {
      byGroup.computeIfAbsent(groups.of(chunk.channel(), r.to()), g -> new ArrayList<>()).add(r);
    }
    Set<ProviderName> out = java.util.EnumSet.noneOf(ProviderName.class);
    out.addAll(tried);
    for (ProviderName p : ProviderName.of(chunk.channel())) {
      if (!usable.test(p)) {
        out.add(p);
      }
    }
    Map<DomainGroup, Future<Weights>> asked = new EnumMap<>(DomainGroup.class);
    for (DomainGroup g : byGroup.keySet()) {
      asked.put(g, weightsOf(chunk, g));
    }
    return Future.all(new ArrayList<>(asked.values())).map(v -> {
      Map<ProviderName, List<Recipient>> shares = new EnumMap<>(ProviderName.class);
      Map<DomainGroup, Weights> used = new EnumMap<>(DomainGroup.class);
      Map<ProviderName, Integer> split = new EnumMap<>(ProviderName.class);
      for (Map.Entry<DomainGroup, List<Recipient>> e : byGroup.entrySet()) {
        Weights w = asked.get(e.getKey()).result().excluding(out);
        if (w.isEmpty()) {
          continue;
        }
        used.put(e.getKey(), w);
        int from = 0;
        List<Recipient> members = e.getValue();
        for (Map.Entry<ProviderName, Integer> s : w.split(members.size()).entrySet()) {
          shares.computeIfAbsent(s.getKey(), p -> new ArrayList<>()).addAll(members.subList(from, from + s.getValue()));
          split.merge(s.getKey(), s.getValue(), Integer::sum);
          from += s.getValue();
        }
      }
      return new Plan(shares, used, split);
    });
  }

  private Future<Weights> weightsOf(SendChunk chunk, DomainGroup g) {
    if (chunk.provider() != null) {
      ProviderName pin = ProviderName.fromWire(chunk.provider());
      return Future.succeededFuture(Weights.of(chunk.channel(), Map.of(pin, Weights.TOTAL)));
    }
    // A later chunk of a batch learns from the feedback that arrived since the batch was accepted (stats are
    // bucketed by when the feedback came in), whatever order its chunks are routed in.
    boolean later = chunk.batchId() != null && chunk.chunkIndex() > 0 && chunk.acceptedAt() != null;
    return weights.weights(chunk.channel(), new WeightQuery(chunk.batchId(), chunk.chunkIndex(), g,
        later ? java.util.Optional.of(chunk.acceptedAt()) : java.util.Optional.empty()));
  }
}
