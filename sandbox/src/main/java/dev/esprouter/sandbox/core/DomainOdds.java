package dev.esprouter.sandbox.core;

import dev.esprouter.common.routing.DomainGroup;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Outcome odds that depend on the recipient's domain ({@code outcomes_by_domain}): a mailbox
 * provider that refuses one provider's IPs while the others still take its mail. A key is one of
 * the router's domain groups ({@code gmail}, {@code microsoft}, {@code yahoo}, {@code apple},
 * {@code other}: the recipient's group comes from the same {@code common.routing.DomainGroups} map
 * the router splits chunks by) or a single domain ({@code outlook.com}), which wins over its group.
 * Each value changes the outcome fields it names of the profile's {@code outcomes} and keeps
 * following that base for the others, so {@code {"microsoft": {"blocked": 0.25}}} blocks a quarter of
 * Microsoft's recipients with the provider's usual opens. Immutable; a recipient costs at most two
 * hash lookups (its domain, when single domains are given, then its group).
 */
public final class DomainOdds {

  /** No odds of their own for any domain: every recipient draws from {@code outcomes}. */
  public static final DomainOdds NONE = new DomainOdds(Map.of(), Map.of(), new EnumMap<>(DomainGroup.class));

  /** A bound on entries, so that one profile change cannot hold an unbounded map. */
  static final int MAX_ENTRIES = 1000;

  private static final String FIELD = "outcomes_by_domain";
  private static final Pattern DOMAIN = Pattern.compile(
      "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

  /** What was asked for, by key (group name or lower-case domain), in the order given. */
  private final Map<String, JsonObject> changes;
  private final Map<String, OutcomeOdds> byDomain;
  private final EnumMap<DomainGroup, OutcomeOdds> byGroup;

  private DomainOdds(Map<String, JsonObject> changes, Map<String, OutcomeOdds> byDomain,
                     EnumMap<DomainGroup, OutcomeOdds> byGroup) {
    this.changes = changes;
    this.byDomain = byDomain;
    this.byGroup = byGroup;
  }

  /**
   * The odds of {@code json} (the whole {@code outcomes_by_domain} object, which replaces any
   * before it; {@code {}} clears them) over {@code base}; a bad key or value is refused naming it.
   */
  static DomainOdds parse(JsonObject json, OutcomeOdds base) {
    if (json.size() > MAX_ENTRIES) {
      throw new ProfileException(FIELD, "at most " + MAX_ENTRIES + " domains and groups");
    }
    Map<String, JsonObject> changes = new LinkedHashMap<>();
    for (String raw : json.fieldNames()) {
      String key = raw.toLowerCase(Locale.ROOT);
      if (DomainGroup.fromWire(key) == null && !DOMAIN.matcher(key).matches()) {
        throw new ProfileException(FIELD + "." + raw, "is neither a domain group (gmail, microsoft, yahoo, apple, "
            + "other) nor a domain such as outlook.com");
      }
      if (!(json.getValue(raw) instanceof JsonObject odds)) {
        throw new ProfileException(FIELD + "." + raw, "must be an object of outcome odds (as in outcomes)");
      }
      if (changes.put(key, odds.copy()) != null) {
        throw new ProfileException(FIELD + "." + raw, "is given twice (keys are not case-sensitive)");
      }
    }
    return changes.isEmpty() ? NONE : resolve(changes, base);
  }

  /** The same changes over a new base ({@code outcomes} changed); refused if one no longer makes valid odds. */
  DomainOdds over(OutcomeOdds base) {
    return changes.isEmpty() ? this : resolve(changes, base);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /**
   * The odds for a recipient {@code address} of domain group {@code group}: its domain's, else its
   * group's, else {@code base}.
   */
  public OutcomeOdds of(String address, DomainGroup group, OutcomeOdds base) {
    if (changes.isEmpty()) {
      return base;
    }
    if (!byDomain.isEmpty() && address != null) {
      OutcomeOdds o = byDomain.get(address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
      if (o != null) {
        return o;
      }
    }
    OutcomeOdds o = byGroup.get(group);
    return o == null ? base : o;
  }

  /** Every key with the full odds it draws with. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    for (String key : changes.keySet()) {
      DomainGroup g = DomainGroup.fromWire(key);
      o.put(key, (g != null ? byGroup.get(g) : byDomain.get(key)).toJson());
    }
    return o;
  }

  private static DomainOdds resolve(Map<String, JsonObject> changes, OutcomeOdds base) {
    Map<String, OutcomeOdds> byDomain = new HashMap<>();
    EnumMap<DomainGroup, OutcomeOdds> byGroup = new EnumMap<>(DomainGroup.class);
    changes.forEach((key, change) -> {
      OutcomeOdds odds;
      try {
        odds = base.with(change);
      } catch (ProfileException e) {
        // outcomes.blocked → outcomes_by_domain.microsoft.blocked: the entry at fault, not the base.
        throw new ProfileException(FIELD + "." + key + e.field().substring("outcomes".length()), e.problem());
      }
      DomainGroup g = DomainGroup.fromWire(key);
      if (g != null) {
        byGroup.put(g, odds);
      } else {
        byDomain.put(key, odds);
      }
    });
    return new DomainOdds(Collections.unmodifiableMap(changes), Map.copyOf(byDomain), byGroup);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DomainOdds d && changes.equals(d.changes) && byDomain.equals(d.byDomain)
        && byGroup.equals(d.byGroup);
  }

  @Override
  public int hashCode() {
    return Objects.hash(changes, byDomain, byGroup);
  }

  @Override
  public String toString() {
    return FIELD + toJson().encode();
  }
}
