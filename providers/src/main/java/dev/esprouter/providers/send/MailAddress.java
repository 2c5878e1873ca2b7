package dev.esprouter.providers.send;

/**
 * An email address with an optional display name, parsed from {@code "Shop <noreply@shop.example>"}
 * or a bare {@code noreply@shop.example}.
 */
public record MailAddress(String name, String email) {

  public static MailAddress parse(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    int lt = t.lastIndexOf('<');
    int gt = t.lastIndexOf('>');
    if (lt >= 0 && gt > lt) {
      String name = t.substring(0, lt).trim();
      if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
        name = name.substring(1, name.length() - 1);
      }
      return new MailAddress(name.isEmpty() ? null : name, t.substring(lt + 1, gt).trim());
    }
    return new MailAddress(null, t);
  }
}
