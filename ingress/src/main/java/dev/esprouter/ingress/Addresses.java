package dev.esprouter.ingress;

import dev.esprouter.common.Channel;
import java.net.IDN;
import java.util.regex.Pattern;

/**
 * Recipient and sender address rules. Each check returns null when the value is fine, else a short
 * description of what is wrong, so callers can build the error with the field path they know.
 */
final class Addresses {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern CHAT_ID = Pattern.compile("-?[1-9][0-9]{0,15}");
  private static final Pattern CHANNEL_NAME = Pattern.compile("@[A-Za-z][A-Za-z0-9_]{4,31}");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final String ATEXT_SPECIALS = "!#$%&'*+/=?^_`{|}~-";

  private Addresses() {
  }

  /** The address rule of a channel's {@code to}. */
  static String recipientProblem(Channel channel, String to) {
    return switch (channel) {
      case EMAIL -> emailProblem(to);
      case WHATSAPP -> E164.matcher(to).matches() ? null : "'" + shorten(to) + "' is not an E.164 phone number (like +14155550123)";
      case TELEGRAM -> CHAT_ID.matcher(to).matches() || CHANNEL_NAME.matcher(to).matches() ? null
          : "'" + shorten(to) + "' is not a Telegram chat id (an integer, or @channelname)";
    };
  }

  /**
   * An addr-spec of RFC 5322 (dot-atom local part; quoted local parts are refused) with UTF-8
   * letters allowed in the local part (RFC 6531) and an internationalized domain checked after
   * IDNA conversion to its ASCII form.
   */
  static String emailProblem(String address) {
    String notEmail = "'" + shorten(address) + "' is not an email address";
    if (address.length() > 254) {
      return "is longer than 254 characters";
    }
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1) {
      return notEmail;
    }
    String local = address.substring(0, at);
    String domain = address.substring(at + 1);
    if (local.length() > 64 || !dotAtom(local)) {
      return notEmail;
    }
    return asciiDomain(domain) == null ? notEmail : null;
  }

  /** The ASCII (punycode) form of a valid host name with at least two labels, else null. */
  static String asciiDomain(String domain) {
    String ascii;
    try {
      ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(java.util.Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (ascii.isEmpty() || ascii.length() > 253 || ascii.endsWith(".")) {
      return null;
    }
    String[] labels = ascii.split("\\.", -1);
    if (labels.length < 2) {
      return null;
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return null;
      }
    }
    return labels[labels.length - 1].chars().allMatch(Character::isDigit) ? null : ascii;
  }

  /** {@code addr} or {@code Display Name <addr>}; the display name may not hold angle brackets or quotes' tricks. */
  static String fromProblem(String value) {
    String v = value.trim();
    int lt = v.lastIndexOf('<');
    if (lt >= 0) {
      if (!v.endsWith(">") || v.indexOf('>') != v.length() - 1) {
        return "'" + shorten(value) + "' is not an address or Name <address>";
      }
      String name = v.substring(0, lt).trim();
      if (name.length() > 256 || name.indexOf('<') >= 0) {
        return "the display name is not valid";
      }
      return emailProblem(v.substring(lt + 1, v.length() - 1));
    }
    return emailProblem(v);
  }

  /** True when the string holds a character that would break a mail header (CR, LF or NUL). */
  static boolean breaksHeader(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean dotAtom(String local) {
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      return false;
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
          || ATEXT_SPECIALS.indexOf(c) >= 0 || (c > 127 && Character.isLetterOrDigit(c));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String shorten(String s) {
    String flat = s.replace("\r", "\\r").replace("\n", "\\n");
    return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
  }
}
