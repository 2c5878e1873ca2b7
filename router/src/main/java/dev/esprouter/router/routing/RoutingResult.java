package dev.esprouter.router.routing;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.routing.Weights;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What routing one chunk did: a placement per recipient, the router's events, the weights and split used. */
public final class RoutingResult {

  /** One line of a message's timeline written by the router (message_events). */
  public record Event(String messageId, ProviderName provider, String type, JsonObject detail) {
  }

  private final List<Placement> placements = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private final Map<ProviderName, Integer> split = new EnumMap<>(ProviderName.class);
  private Weights weights;

  /** Every recipient failed for the same reason before any provider was asked (a bad pin). */
  public static RoutingResult rejectAll(List<Recipient> recipients, String reason) {
    RoutingResult r = new RoutingResult();
    for (Recipient rec : recipients) {
      r.place(new Placement(rec, Placement.Kind.FAILED, null, null, reason));
    }
    return r;
  }

  void place(Placement p) {
    placements.add(p);
  }

  void event(Recipient r, ProviderName provider, String type, JsonObject detail) {
    events.add(new Event(r.messageId(), provider, type, detail));
  }

  void firstSplit(Weights used, Map<ProviderName, Integer> counts) {
    if (weights == null) {
      weights = used;
      split.putAll(counts);
    }
  }

  public List<Placement> placements() {
    return placements;
  }

  public List<Event> events() {
    return events;
  }

  /** The weights the chunk was first split by (after excluding open breakers), or null if none could take it. */
  public Weights weights() {
    return weights;
  }

  /** Recipients per provider in the first split. */
  public Map<ProviderName, Integer> split() {
    return split;
  }
}
