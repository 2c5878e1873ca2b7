package dev.esprouter.router.ledger;

import dev.esprouter.common.ProviderName;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the ledger holds of one chunk delivery: whether it is done (and what was placed without a
 * provider call), and every call made for it, answered or still open.
 */
public record LedgerState(boolean exists, boolean done, JsonObject placed, List<Call> calls) {

  public static final LedgerState NONE = new LedgerState(false, false, null, List.of());

  /**
   * One call: its intent (provider, recipients) and, once answered, one result letter per recipient
   * with the provider's ids and reasons. {@code results} null: open — the call may be in flight at
   * its owner {@code incarnation}, or its owner died before writing the answer.
   */
  public record Call(int callNo, String incarnation, ProviderName provider, List<String> messageIds, String results,
                     List<String> providerIds, List<String> reasons, long createdAtMs) {

    public boolean open() {
      return results == null;
    }

    public char result(int i) {
      return results.charAt(i);
    }

    public String providerIdOf(int i) {
      if (providerIds.isEmpty()) {
        return null;
      }
      String v = providerIds.size() == 1 ? providerIds.get(0) : providerIds.get(i);
      return v.isEmpty() ? null : v;
    }

    public String reasonOf(int i) {
      if (reasons.isEmpty() || i >= reasons.size()) {
        return null;
      }
      String v = reasons.get(i);
      return v.isEmpty() ? null : v;
    }
  }

  public int nextCallNo() {
    int max = -1;
    for (Call c : calls) {
      max = Math.max(max, c.callNo());
    }
    return max + 1;
  }
}
