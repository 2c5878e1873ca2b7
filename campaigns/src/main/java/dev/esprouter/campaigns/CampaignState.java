package dev.esprouter.campaigns;

import java.util.List;
import java.util.Locale;

/**
 * A campaign's lifecycle: {@code draft} → start → ({@code pending_approval} → approve, when the tenant
 * requires approval) → {@code scheduled} (until {@code send_at}) → {@code sending} → {@code completed};
 * {@code sending}/{@code scheduled} ⇄ {@code paused}; {@code cancelled} from any state that is not final.
 */
enum CampaignState {
  DRAFT, PENDING_APPROVAL, SCHEDULED, SENDING, PAUSED, COMPLETED, CANCELLED;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  boolean isFinal() {
    return this == COMPLETED || this == CANCELLED;
  }

  static CampaignState fromWire(String s) {
    for (CampaignState c : values()) {
      if (c.wire().equals(s)) {
        return c;
      }
    }
    return null;
  }

  /** The states an action may start from. */
  static List<String> from(String action) {
    return switch (action) {
      case "start" -> List.of("draft");
      case "pause" -> List.of("scheduled", "sending");
      case "approve" -> List.of("pending_approval");
      case "resume" -> List.of("paused");
      case "cancel" -> List.of("draft", "pending_approval", "scheduled", "sending", "paused");
      default -> throw new IllegalArgumentException(action);
    };
  }
}
