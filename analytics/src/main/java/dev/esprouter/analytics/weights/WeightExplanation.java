package dev.esprouter.analytics.weights;

import dev.esprouter.common.Channel;
import dev.esprouter.common.routing.Weights;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The weights of one channel with every input and intermediate value that produced them. */
public record WeightExplanation(Channel channel, Weights weights, List<ProviderScore> providers,
                                WeightParameters parameters, boolean laterChunk) {

  public ProviderScore provider(dev.esprouter.common.ProviderName p) {
    return providers.stream().filter(s -> s.provider() == p).findFirst().orElseThrow();
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    providers.forEach(p -> list.add(p.toJson()));
    return new JsonObject()
        .put("channel", channel.wire())
        .put("basis", laterChunk ? "since_previous_chunk_blended_with_window" : "window")
        .put("weights", weights.toJson())
        .put("providers", list)
        .put("parameters", parameters.toJson());
  }
}
