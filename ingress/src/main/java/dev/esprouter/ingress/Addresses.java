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
    if (address.length() > 254) {
      return "is longer than 254 characters";
    }
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1 || at > 64 || !dotAtom(address, at)
        || asciiDomain(address.substring(at + 1)) == null) {
      return "'" + shorten(address) + "' is not an email address";
    }
    return null;
  }

  /**
   * The ASCII (punycode) form of a valid host name with at least two labels, else null. A domain
   * that is ASCII already is checked label by label as it is (what IDNA's ToASCII would do with it,
   * minus its cost on every recipient); only an internationalized one goes through {@link IDN}.
   */
  static String asciiDomain(String domain) {
    String ascii;
    if (isAscii(domain)) {
      ascii = domain.toLowerCase(java.util.Locale.ROOT);
    } else {
      try {
        ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(java.util.Locale.ROOT);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    if (ascii.isEmpty() || ascii.length() > 253 || ascii.endsWith(".")) {
      return null;
    }
    int labels = 0;
    int start = 0;
    int lastStart = 0;
    while (start <= ascii.length()) {
      int dot = ascii.indexOf('.', start);
      int end = dot < 0 ? ascii.length() : dot;
      if (!ldhLabel(ascii, start, end)) {
        return null;
      }
      labels++;
      lastStart = start;
      start = end + 1;
      if (dot < 0) {
        break;
      }
    }
    if (labels < 2) {
      return null;
    }
    for (int i = lastStart; i < ascii.length(); i++) {
      if (!Character.isDigit(ascii.charAt(i))) {
        return ascii;
      }
    }
    return null;
  }

  /** A label of lower-case letters, digits and inner hyphens, 1 to 63 characters. */
  private static boolean ldhLabel(String s, int from, int to) {
    int n = to - from;
    if (n < 1 || n > 63 || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 127) {
        return false;
      }
    }
    return true;
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

  /** The local part, {@code address[0, end)}: a dot-atom (UTF-8 letters allowed). */
  private static boolean dotAtom(String address, int end) {
    if (address.charAt(0) == '.' || address.charAt(end - 1) == '.') {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = address.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || (c == '.' && address.charAt(i + 1) != '.')
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
