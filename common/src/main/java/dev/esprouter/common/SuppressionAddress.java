package dev.esprouter.common;

import java.util.Locale;

/**
 * The one form in which {@code suppressions} stores, and every reader looks up, an address: an
 * email trimmed and in lower case (a bounce reported for {@code Bob@Example.com} must stop a later
 * send to {@code bob@example.com}); a phone number or chat id trimmed, as given.
 */
public final class SuppressionAddress {

  private SuppressionAddress() {
  }

  public static String of(Channel channel, String address) {
    if (address == null) {
      return null;
    }
    String a = address.trim();
    return channel == Channel.EMAIL ? a.toLowerCase(Locale.ROOT) : a;
  }
}
