package dev.esprouter.common.routing;

import java.util.Locale;

/**
 * The recipient-domain groups email weights are kept for (DESIGN.md § Weights): mailbox providers
 * that judge senders each their own way, so a provider blocked at Microsoft can still be the best
 * at Gmail. A small fixed set keeps metrics labels and the weight computation bounded. WhatsApp and
 * Telegram have one group, {@link #OTHER}.
 */
public enum DomainGroup {
  GMAIL, MICROSOFT, YAHOO, APPLE, OTHER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The group of a wire name, or null. */
  public static DomainGroup fromWire(String value) {
    if (value == null) {
      return null;
    }
    for (DomainGroup g : values()) {
      if (g.wire().equals(value)) {
        return g;
      }
    }
    return null;
  }
}
