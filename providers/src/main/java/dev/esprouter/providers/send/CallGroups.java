package dev.esprouter.providers.send;

import dev.esprouter.common.Recipient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Cuts recipients into the groups one call each carries. */
public final class CallGroups {

  private CallGroups() {
  }

  /**
   * Groups of at most {@code max} recipients in which no address appears twice (case-insensitive):
   * a repeated address goes to the next group that does not have it yet (SendGrid rejects a call that
   * names an address twice). Order within a group follows the input.
   */
  public static List<List<Recipient>> distinctAddresses(List<Recipient> recipients, int max) {
    List<List<Recipient>> groups = new ArrayList<>();
    List<Set<String>> seen = new ArrayList<>();
    for (Recipient r : recipients) {
      String key = r.to() == null ? "" : r.to().toLowerCase(Locale.ROOT);
      int g = 0;
      while (g < groups.size() && (groups.get(g).size() >= max || seen.get(g).contains(key))) {
        g++;
      }
      if (g == groups.size()) {
        groups.add(new ArrayList<>());
        seen.add(new HashSet<>());
      }
      groups.get(g).add(r);
      seen.get(g).add(key);
    }
    return groups;
  }

  /** Consecutive groups of at most {@code max}. */
  public static List<List<Recipient>> ofSize(List<Recipient> recipients, int max) {
    List<List<Recipient>> groups = new ArrayList<>();
    for (int i = 0; i < recipients.size(); i += max) {
      groups.add(recipients.subList(i, Math.min(recipients.size(), i + max)));
    }
    return groups;
  }
}
