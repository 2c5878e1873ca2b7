package dev.esprouter.providers.meta;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Meta's template statuses and the {@code message_template_status_update} webhook
 * ({@code entry[].changes[]} with {@code field: "message_template_status_update"} and
 * {@code value: {event, message_template_id, message_template_name, message_template_language,
 * reason, message_template_category, rejection_info?, other_info?, disable_info?}}), mapped to the
 * registry's statuses: {@code approved}, {@code in_review}, {@code rejected}, {@code paused},
 * {@code disabled}. Events that change nothing a send depends on (FLAGGED, LOCKED, UNLOCKED,
 * LIMIT_EXCEEDED) map to null. Other changes of the same body ({@code messages} statuses, quality
 * updates) are not template status updates and are skipped.
 */
public final class MetaTemplateStatus {

  public static final String FIELD = "message_template_status_update";

  /** One template's new status as a webhook reported it (language canonical, or null when unreadable). */
  public record Update(String wabaId, String metaId, String name, String language, String event, String reason) {
  }

  private MetaTemplateStatus() {
  }

  /**
   * The registry status for a Meta status or event, or null when it changes nothing for sending.
   * A template Meta deleted or archived cannot be sent any more: {@code disabled}.
   */
  public static String registryStatus(String meta) {
    if (meta == null) {
      return null;
    }
    return switch (meta.toUpperCase(Locale.ROOT)) {
      case "APPROVED", "REINSTATED", "UNPAUSED" -> "approved";
      case "PENDING", "IN_APPEAL" -> "in_review";
      case "REJECTED" -> "rejected";
      case "PAUSED" -> "paused";
      case "DISABLED", "ARCHIVED", "DELETED", "PENDING_DELETION" -> "disabled";
      default -> null;
    };
  }

  /** Quick test on the raw bytes, so the many message status bodies are not parsed for nothing. */
  public static boolean mayContainUpdates(Buffer body) {
    return body != null && body.toString(java.nio.charset.StandardCharsets.UTF_8).contains(FIELD);
  }

  /** The template status updates of a webhook body (none when it has none or is not JSON). */
  public static List<Update> updates(Buffer body) {
    List<Update> out = new ArrayList<>();
    JsonObject root;
    try {
      root = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return out;
    }
    JsonArray entries = root.getValue("entry") instanceof JsonArray a ? a : new JsonArray();
    for (Object entry : entries) {
      if (!(entry instanceof JsonObject e) || !(e.getValue("changes") instanceof JsonArray changes)) {
        continue;
      }
      String waba = e.getValue("id") == null ? null : String.valueOf(e.getValue("id"));
      for (Object change : changes) {
        if (change instanceof JsonObject c && FIELD.equals(c.getValue("field"))
            && c.getValue("value") instanceof JsonObject v && v.getValue("event") instanceof String event) {
          Object id = v.getValue("message_template_id");
          out.add(new Update(waba, id == null ? null : String.valueOf(id), v.getString("message_template_name"),
              MetaTemplateApi.language(v.getString("message_template_language")), event, reason(event, v)));
        }
      }
    }
    return out;
  }

  /** What a person should read: Meta's reason code, with its explanation when it gave one. */
  static String reason(String event, JsonObject v) {
    String code = v.getValue("reason") instanceof String s && !s.isBlank() && !s.equals("NONE") ? s : null;
    String detail = null;
    if (v.getValue("rejection_info") instanceof JsonObject r) {
      detail = r.getString("reason");
    } else if (v.getValue("other_info") instanceof JsonObject o) {
      detail = join(o.getString("title"), o.getString("description"));
    }
    String e = event.toUpperCase(Locale.ROOT);
    if (code == null && detail == null) {
      return switch (e) {
        case "DELETED", "PENDING_DELETION" -> "deleted at Meta";
        case "ARCHIVED" -> "archived at Meta";
        case "PAUSED" -> "paused by Meta";
        case "DISABLED" -> "disabled by Meta";
        default -> null;
      };
    }
    return join(code, detail);
  }

  private static String join(String a, String b) {
    if (a == null || a.isBlank()) {
      return b;
    }
    return b == null || b.isBlank() ? a : a + ": " + b;
  }
}
