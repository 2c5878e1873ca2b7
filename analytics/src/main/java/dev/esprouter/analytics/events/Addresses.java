package dev.esprouter.analytics.events;

import java.util.Locale;

/** How suppressed addresses are stored: email in lower case (ingress matches as given and in lower case), others as given. */
public final class Addresses {

  private Addresses() {
  }

  public static String normalize(String channel, String address) {
    if (address == null) {
      return null;
    }
    String a = address.trim();
    return "email".equals(channel) ? a.toLowerCase(Locale.ROOT) : a;
  }
}
