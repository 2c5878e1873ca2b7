package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.LongHashSet;
import dev.esprouter.sandbox.core.ProviderRecord;
import dev.esprouter.sandbox.core.SendPipeline;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The sandbox's shared state: one {@link SendPipeline} (profile, record, webhook queue) per provider. */
final class Sandbox {

  private final Map<ProviderName, SendPipeline> pipelines = new EnumMap<>(ProviderName.class);
  /** Router ids accepted by any provider: a recipient accepted twice anywhere is one duplicate. */
  private final LongHashSet acceptedIds = new LongHashSet();

  Sandbox(SandboxOptions options, long seed) {
    for (var dialect : Dialects.create(options, seed)) {
      pipelines.put(dialect.name(), new SendPipeline(dialect, options.profile(dialect.name()),
          options.webhooks().queuePerProvider(), seed, acceptedIds));
    }
  }

  SendPipeline pipeline(ProviderName p) {
    return pipelines.get(p);
  }

  List<SendPipeline> pipelines() {
    return new ArrayList<>(pipelines.values());
  }

  void reset() {
    pipelines.values().forEach(SendPipeline::reset);
    acceptedIds.clear();
  }

  /** Recipients accepted more than once, by any providers (each counted at the provider of the repeat). */
  long duplicates() {
    long n = 0;
    for (SendPipeline p : pipelines.values()) {
      n += p.record().duplicates();
    }
    return n;
  }

  JsonObject statsJson() {
    JsonObject providers = new JsonObject();
    pipelines.forEach((p, pipe) -> providers.put(p.wire(), recordJson(pipe)));
    return new JsonObject().put("providers", providers).put("duplicates", duplicates());
  }

  SandboxStats stats() {
    Map<ProviderName, SandboxStats.Provider> m = new EnumMap<>(ProviderName.class);
    pipelines.forEach((p, pipe) -> {
      ProviderRecord r = pipe.record();
      m.put(p, new SandboxStats.Provider(r.requests(), r.messages(), r.duplicates(), r.rejected(), r.webhooksSent(),
          pipe.lane().pendingEvents(), r.webhooksFailed(), r.webhooksDropped(), Map.copyOf(r.messagesByGroup())));
    });
    return new SandboxStats(Map.copyOf(m));
  }

  private static JsonObject recordJson(SendPipeline pipe) {
    ProviderRecord r = pipe.record();
    JsonObject byGroup = new JsonObject();
    r.messagesByGroup().forEach((g, n) -> byGroup.put(g.wire(), n));
    return new JsonObject()
        .put("requests", r.requests())
        .put("messages", r.messages())
        .put("messages_by_group", byGroup)
        .put("duplicates", r.duplicates())
        .put("rejected", r.rejected())
        .put("webhooks_sent", r.webhooksSent())
        .put("webhooks_pending", pipe.lane().pendingEvents())
        .put("webhooks_failed", r.webhooksFailed())
        .put("webhooks_dropped", r.webhooksDropped());
  }
}
