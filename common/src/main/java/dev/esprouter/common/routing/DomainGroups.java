package dev.esprouter.common.routing;

import dev.esprouter.common.Channel;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which {@link DomainGroup} a recipient belongs to: email addresses by their domain, from a map of
 * the big mailbox providers' consumer domains; everything else (and every WhatsApp or Telegram
 * recipient) is {@link DomainGroup#OTHER}. Pure and thread-safe; one hash lookup per recipient.
 */
public final class DomainGroups {

  private static final Map<String, DomainGroup> DEFAULTS = defaults();

  private final Map<String, DomainGroup> byDomain;

  private DomainGroups(Map<String, DomainGroup> byDomain) {
    this.byDomain = Map.copyOf(byDomain);
  }

  /** The built-in map of consumer mailbox domains. */
  public static DomainGroups standard() {
    return new DomainGroups(DEFAULTS);
  }

  /** The built-in map with {@code extra} domains (lower-case) added or re-grouped. */
  public static DomainGroups with(Map<String, DomainGroup> extra) {
    Map<String, DomainGroup> m = new HashMap<>(DEFAULTS);
    extra.forEach((d, g) -> m.put(d.toLowerCase(Locale.ROOT), g));
    return new DomainGroups(m);
  }

  public DomainGroup of(Channel channel, String address) {
    if (channel != Channel.EMAIL || address == null) {
      return DomainGroup.OTHER;
    }
    int at = address.lastIndexOf('@');
    if (at < 0 || at == address.length() - 1) {
      return DomainGroup.OTHER;
    }
    String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
    DomainGroup g = byDomain.get(domain);
    return g == null ? DomainGroup.OTHER : g;
  }

  private static Map<String, DomainGroup> defaults() {
    Map<String, DomainGroup> m = new HashMap<>();
    for (String d : new String[] {"gmail.com", "googlemail.com"}) {
      m.put(d, DomainGroup.GMAIL);
    }
    for (String d : new String[] {"outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk",
        "hotmail.fr", "live.co.uk", "outlook.fr", "hotmail.de", "hotmail.it", "live.fr", "outlook.de"}) {
      m.put(d, DomainGroup.MICROSOFT);
    }
    for (String d : new String[] {"yahoo.com", "ymail.com", "rocketmail.com", "aol.com", "yahoo.co.uk",
        "yahoo.fr", "yahoo.de", "yahoo.co.jp", "aim.com"}) {
      m.put(d, DomainGroup.YAHOO);
    }
    for (String d : new String[] {"icloud.com", "me.com", "mac.com"}) {
      m.put(d, DomainGroup.APPLE);
    }
    return m;
  }
}
