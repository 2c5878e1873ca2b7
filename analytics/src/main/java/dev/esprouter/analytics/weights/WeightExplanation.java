package dev.esprouter.analytics.weights;

import dev.esprouter.common.Channel;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.Weights;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The weights of one channel and domain group with every input and intermediate value that
 * produced them; {@code learnedAt} is when the learner last updated (null: priors, no update yet).
 */
public record WeightExplanation(Channel channel, DomainGroup group, Weights weights, List<ProviderScore> providers,
                                WeightParameters parameters, Instant learnedAt) {

  public ProviderScore provider(dev.esprouter.common.ProviderName p) {
    return providers.stream().filter(s -> s.provider() == p).findFirst().orElseThrow();
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    providers.forEach(p -> list.add(p.toJson()));
    return new JsonObject()
        .put("channel", channel.wire())
        .put("domain_group", group.wire())
        .put("basis", "decayed_memory_with_change_detection")
        .put("learned_at", learnedAt == null ? null : learnedAt.toString())
        .put("weights", weights.toJson())
        .put("providers", list)
        .put("parameters", parameters.toJson());
  }
}
