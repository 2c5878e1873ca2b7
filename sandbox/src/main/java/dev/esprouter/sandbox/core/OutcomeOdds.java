package dev.esprouter.sandbox.core;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The probabilities a provider's outcomes are drawn with. The fates (delivered, soft bounce, hard
 * bounce, dropped, blocked) share one draw in proportion to their weights; {@code delivered}, when
 * not given, is what the others leave of 1. {@code bounced} is the recipient's fault (no such
 * address: a scorer must not blame the provider for it); {@code blocked} is the provider's (a hard
 * bounce for the sending IP's reputation or policy, which another provider might have avoided).
 * {@code complained} and {@code opened} are fractions of the delivered recipients and
 * {@code clicked} too, a click always coming with an open.
 */
public record OutcomeOdds(double delivered, double softBounced, double bounced, double dropped, double blocked,
                          double complained, double opened, double clicked) {

  private static final Set<String> KEYS = Set.of("delivered", "soft_bounced", "bounced", "dropped", "blocked",
      "complained", "opened", "clicked");

  public OutcomeOdds {
    check("outcomes.soft_bounced", softBounced);
    check("outcomes.bounced", bounced);
    check("outcomes.dropped", dropped);
    check("outcomes.blocked", blocked);
    check("outcomes.complained", complained);
    check("outcomes.opened", opened);
    check("outcomes.clicked", clicked);
    // Last: when not given, delivered is derived from the others, so a bad other value is the one to name.
    check("outcomes.delivered", delivered);
    if (delivered + softBounced + bounced + dropped + blocked <= 0) {
      throw new ProfileException("outcomes", "delivered, soft_bounced, bounced, dropped and blocked cannot all be 0");
    }
    if (clicked > opened) {
      throw new ProfileException("outcomes.clicked", "must not be more than outcomes.opened (a click is also an open)");
    }
  }

  /** Odds from the failure rates alone (no provider-side blocks), delivered taking the rest. */
  public static OutcomeOdds of(double softBounced, double bounced, double dropped, double complained, double opened,
                               double clicked) {
    return new OutcomeOdds(Math.max(0, 1 - softBounced - bounced - dropped), softBounced, bounced, dropped, 0,
        complained, opened, clicked);
  }

  /** These odds with the fields of {@code patch} replaced; unknown keys or bad values are refused. */
  public OutcomeOdds with(JsonObject patch) {
    for (String k : patch.fieldNames()) {
      if (!KEYS.contains(k)) {
        throw new ProfileException("outcomes." + k, "is not a known outcome (use " + String.join(", ", KEYS) + ")");
      }
    }
    double soft = number(patch, "soft_bounced", softBounced);
    double hard = number(patch, "bounced", bounced);
    double drop = number(patch, "dropped", dropped);
    double block = number(patch, "blocked", blocked);
    double del = patch.containsKey("delivered") ? number(patch, "delivered", delivered)
        : Math.max(0, 1 - soft - hard - drop - block);
    return new OutcomeOdds(del, soft, hard, drop, block, number(patch, "complained", complained),
        number(patch, "opened", opened), number(patch, "clicked", clicked));
  }

  /** The outcome for three independent uniform draws in [0, 1). */
  public Outcome draw(double fateDraw, double engagementDraw, double complaintDraw) {
    double total = delivered + softBounced + bounced + dropped + blocked;
    double x = fateDraw * total;
    Outcome.Fate fate;
    if (x < bounced) {
      fate = Outcome.Fate.HARD_BOUNCE;
    } else if (x < bounced + softBounced) {
      fate = Outcome.Fate.SOFT_BOUNCE;
    } else if (x < bounced + softBounced + dropped) {
      fate = Outcome.Fate.DROPPED;
    } else if (x < bounced + softBounced + dropped + blocked) {
      // Last of the failures, so that odds without blocks draw exactly as before for the same seed.
      fate = Outcome.Fate.BLOCKED;
    } else {
      fate = Outcome.Fate.DELIVERED;
    }
    if (fate != Outcome.Fate.DELIVERED) {
      return new Outcome(fate, false, false, false);
    }
    boolean clicked = engagementDraw < clicked();
    boolean opened = engagementDraw < opened();
    return new Outcome(fate, opened, clicked, complaintDraw < complained);
  }

  public JsonObject toJson() {
    return new JsonObject().put("delivered", delivered).put("soft_bounced", softBounced).put("bounced", bounced)
        .put("dropped", dropped).put("blocked", blocked).put("complained", complained).put("opened", opened)
        .put("clicked", clicked);
  }

  private static double number(JsonObject o, String key, double fallback) {
    if (!o.containsKey(key)) {
      return fallback;
    }
    Object v = o.getValue(key);
    if (!(v instanceof Number n)) {
      throw new ProfileException("outcomes." + key, "must be a number between 0 and 1");
    }
    return n.doubleValue();
  }

  private static void check(String field, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new ProfileException(field, "must be a number between 0 and 1");
    }
  }
}
