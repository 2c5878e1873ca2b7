package dev.esprouter.providers.webhook;

/**
 * Which failures belong to the recipient and which to the provider: the classification every
 * parser applies to {@link dev.esprouter.common.DeliveryEvent#recipientSide()} (issue 6,
 * deliverable 5). Analytics scores providers only on provider-side failures: a failure that any
 * provider would have had for the same address says nothing about the provider that reported it.
 *
 * <p>The rule: <b>recipient-side</b> = the address or chat itself cannot take the message (invalid
 * address, no such mailbox or domain, mailbox disabled, not a WhatsApp user, the person blocked the
 * bot, the address is on a suppression list because of its own earlier bounce, complaint or
 * unsubscribe). <b>Provider-side</b> = everything a better provider could have avoided (blocks for
 * reputation or content, spam-folder complaints, deferrals and soft bounces, drops for the
 * provider's own policy or quota, throughput errors). Unknown or unclassified failures count as
 * provider-side, so a provider cannot hide bad delivery behind missing codes; a hard bounce without
 * any classification is the exception (its standard meaning is "no such address").
 *
 * <table>
 *   <caption>Recipient-side failures per provider (everything else that fails is provider-side)</caption>
 *   <tr><th>provider</th><th>event</th><th>recipient-side when</th></tr>
 *   <tr><td>SendGrid</td><td>{@code bounce type=bounce}</td><td>{@code bounce_classification}
 *       "Invalid Address" or "Mailbox Unavailable"; when unclassified, SMTP status 5.1.x or 5.2.1, or
 *       no status at all</td></tr>
 *   <tr><td>SendGrid</td><td>{@code dropped}</td><td>{@code reason} "Invalid", "Bounced Address",
 *       "Unsubscribed Address", "Spam Reporting Address"</td></tr>
 *   <tr><td>Postmark</td><td>{@code Bounce}</td><td>{@code Type} HardBounce, BadEmailAddress,
 *       ManuallyDeactivated, AddressChange</td></tr>
 *   <tr><td>SocketLabs</td><td>{@code Failed}</td><td>{@code FailureType} Suppressed, or
 *       {@code FailureCode} 2xxx (invalid or no longer valid address) or 3002 (mailbox disabled)</td></tr>
 *   <tr><td>SparkPost</td><td>{@code bounce}, {@code out_of_band}</td><td>{@code bounce_class} 10
 *       (invalid recipient), 30 (no RCPT), 90 (unsubscribe)</td></tr>
 *   <tr><td>WhatsApp</td><td>{@code failed}</td><td>error 131026 (not a WhatsApp user / cannot
 *       receive)</td></tr>
 *   <tr><td>Telegram</td><td>{@code my_chat_member} kicked</td><td>always (the person blocked the bot)</td></tr>
 * </table>
 *
 * <p>Events that are not failures (delivered, opened, clicked, unsubscribed) carry
 * {@code recipientSide = false}. Complaints are always provider-side (spam-folder placement is the
 * provider's reputation).
 */
public final class RecipientSide {

  private RecipientSide() {
  }

  /**
   * True for an RFC 3463 enhanced status code that blames the recipient's address: {@code 5.1.x}
   * (bad mailbox, bad domain, bad syntax, moved, null MX) except 5.1.7 and 5.1.8 (they blame the
   * sender), and {@code 5.2.1} (mailbox disabled). The code may be followed by text.
   */
  public static boolean smtpStatusBlamesRecipient(String status) {
    if (status == null) {
      return false;
    }
    String s = status.trim();
    int end = 0;
    while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) {
      end++;
    }
    String code = s.substring(0, end);
    if (code.equals("5.1.7") || code.equals("5.1.8")) {
      return false;
    }
    return code.startsWith("5.1.") || code.equals("5.2.1");
  }
}
