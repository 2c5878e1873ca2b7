package dev.esprouter.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The six upstream providers and the channel each one serves. */
public enum ProviderName {
  SENDGRID(Channel.EMAIL),
  POSTMARK(Channel.EMAIL),
  SOCKETLABS(Channel.EMAIL),
  SPARKPOST(Channel.EMAIL),
  META(Channel.WHATSAPP),
  TELEGRAM(Channel.TELEGRAM);

  private final Channel channel;

  ProviderName(Channel channel) {
    this.channel = channel;
  }

  public Channel channel() {
    return channel;
  }

  /** The lower-case id used in paths (/webhooks/sendgrid), topics, JSON and metrics. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The prefix of this provider's environment variables (SENDGRID_BASE_URL, ...). */
  public String envPrefix() {
    return name();
  }

  public static ProviderName fromWire(String value) {
    if (value == null) {
      return null;
    }
    for (ProviderName p : values()) {
      if (p.wire().equals(value)) {
        return p;
      }
    }
    return null;
  }

  /** The providers of one channel, in declaration order (the order ties are broken in). */
  public static List<ProviderName> of(Channel channel) {
    List<ProviderName> list = new ArrayList<>();
    for (ProviderName p : values()) {
      if (p.channel == channel) {
        list.add(p);
      }
    }
    return List.copyOf(list);
  }
}
