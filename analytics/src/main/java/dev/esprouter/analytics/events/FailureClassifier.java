package dev.esprouter.analytics.events;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import java.util.List;
import java.util.Locale;

/**
 * Decides, before anything is scored, whether a failure belongs to the recipient (any provider
 * would have failed the same way, so it must not lower this provider's weight) or to the provider.
 * The parsers classify each provider's structured fields first ({@link DeliveryEvent#recipientSide()},
 * see {@code dev.esprouter.providers.webhook.RecipientSide}); this table is the second line, over the
 * free-text reason, for the cases a parser left unflagged:
 *
 * <table>
 *   <caption>Reason text → side (first match wins; no match keeps the parser's flag)</caption>
 *   <tr><th>reason contains</th><th>side</th><th>why</th></tr>
 *   <tr><td>5.7.x, "reputation", "blocklist"/"blacklist", "spam", "policy", "rate limit"/"throttl",
 *       "quota", "ISP block" (Postmark's Blocked)</td><td>provider</td><td>the sending IP/domain or the provider's account was refused; another
 *       provider may get through</td></tr>
 *   <tr><td>5.1.1–5.1.6, 5.1.10, 5.2.1, "user unknown", "no such user", "mailbox does not exist",
 *       "mailbox unavailable", "invalid address"/"invalid recipient", "does not exist"</td><td>recipient</td>
 *       <td>the address itself cannot receive mail</td></tr>
 *   <tr><td>"chat not found", "bot was blocked", "user is deactivated", 131026</td><td>recipient</td>
 *       <td>Telegram / WhatsApp: the person cannot or will not receive from any sender</td></tr>
 * </table>
 *
 * <p>Event types decide first: {@code blocked} is always recipient-side; {@code complained} and
 * {@code deferred} are always provider-side (spam-folder placement and deferrals are the provider's
 * reputation); only {@code bounced} and {@code dropped} are classified by reason.
 */
public final class FailureClassifier {

  /** Who a failure belongs to. */
  public enum Side { RECIPIENT, PROVIDER, NOT_A_FAILURE }

  private static final List<String> PROVIDER_SIDE = List.of("5.7.", "reputation", "blocklist", "blacklist", "spam",
      "policy", "rate limit", "throttl", "quota", "isp block");
  private static final List<String> RECIPIENT_SIDE = List.of("5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5", "5.1.6",
      "5.1.10", "5.2.1", "user unknown", "unknown user", "no such user", "mailbox does not exist",
      "mailbox unavailable", "invalid address", "invalid recipient", "does not exist", "chat not found",
      "bot was blocked", "user is deactivated", "131026");

  private FailureClassifier() {
  }

  public static Side classify(DeliveryEvent e) {
    return switch (e.type()) {
      case BLOCKED -> Side.RECIPIENT;
      case COMPLAINED, DEFERRED -> Side.PROVIDER;
      case BOUNCED, DROPPED -> e.recipientSide() ? Side.RECIPIENT : byReason(e.reason());
      default -> Side.NOT_A_FAILURE;
    };
  }

  /** Provider-side unless the reason names a recipient-side cause (unknown failures count against the provider). */
  static Side byReason(String reason) {
    if (reason == null) {
      return Side.PROVIDER;
    }
    String r = reason.toLowerCase(Locale.ROOT);
    for (String s : PROVIDER_SIDE) {
      if (r.contains(s)) {
        return Side.PROVIDER;
      }
    }
    for (String s : RECIPIENT_SIDE) {
      if (r.contains(s)) {
        return Side.RECIPIENT;
      }
    }
    return Side.PROVIDER;
  }

  /**
   * Whether the event must stop further sends to its address for the tenant: a hard bounce (unless
   * it is explicitly a provider-side block, where the address is fine), a spam complaint, or a
   * blocked bot.
   */
  public static String suppressionReason(DeliveryEvent e) {
    return switch (e.type()) {
      case COMPLAINED -> "complaint";
      case BLOCKED -> "blocked";
      case BOUNCED -> e.recipientSide() || !explicitlyProviderSide(e.reason()) ? "hard_bounce" : null;
      default -> null;
    };
  }

  private static boolean explicitlyProviderSide(String reason) {
    if (reason == null) {
      return false;
    }
    String r = reason.toLowerCase(Locale.ROOT);
    return PROVIDER_SIDE.stream().anyMatch(r::contains);
  }

  /** The message status an event moves to (forward only, checked in SQL), or null for timeline-only events. */
  public static String status(EventType type) {
    return switch (type) {
      case DELIVERED -> "delivered";
      case OPENED -> "opened";
      case CLICKED -> "clicked";
      case BOUNCED -> "bounced";
      case COMPLAINED -> "complained";
      case DROPPED -> "failed";
      case DEFERRED, UNSUBSCRIBED, BLOCKED -> null;
    };
  }
}
