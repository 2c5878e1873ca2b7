package dev.esprouter.ingress.templates;

import dev.esprouter.common.Channel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One template of the registry in one language (a row of {@code templates}). {@code body} holds the
 * channel's content as stored (see {@code V2_6__templates.sql}); {@code status} is one of
 * {@link #STATUSES}: WhatsApp templates move {@code draft → in_review → approved | rejected}, then
 * {@code paused}/{@code disabled} by Meta; Telegram and email templates are {@code active} at once.
 */
public record Template(String id, String tenantId, Channel channel, String name, String language, String status,
                       String category, JsonObject body, String reason, String metaId, OffsetDateTime createdAt,
                       OffsetDateTime updatedAt) {

  public static final String DRAFT = "draft";
  public static final String IN_REVIEW = "in_review";
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";
  public static final String PAUSED = "paused";
  public static final String DISABLED = "disabled";
  public static final String ACTIVE = "active";
  public static final java.util.List<String> STATUSES = java.util.List.of(DRAFT, IN_REVIEW, APPROVED, REJECTED, PAUSED,
      DISABLED, ACTIVE);

  /** Whether a send may use it: approved by Meta, or (Telegram, email) stored. */
  public boolean sendable() {
    return APPROVED.equals(status) || ACTIVE.equals(status);
  }

  /** Paused or disabled by Meta: sends already queued with it stop. */
  public boolean stopped() {
    return PAUSED.equals(status) || DISABLED.equals(status);
  }

  /** As the API shows it: the common fields and the channel's content. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject()
        .put("id", id)
        .put("channel", channel.wire())
        .put("name", name)
        .put("language", language)
        .put("status", status);
    switch (channel) {
      case WHATSAPP -> o.put("category", category).put("components", body.getJsonArray("components", new JsonArray()));
      case TELEGRAM -> o.put("text", body.getString("text")).put("parse_mode", body.getString("parse_mode"))
          .put("defaults", body.getJsonObject("defaults", new JsonObject()));
      case EMAIL -> o.put("subject", body.getString("subject")).put("html", body.getString("html"))
          .put("text", body.getString("text")).put("params", body.getJsonArray("params", new JsonArray()))
          .put("defaults", body.getJsonObject("defaults", new JsonObject()));
      default -> throw new IllegalStateException(channel.wire());
    }
    o.put("reason", reason).put("meta_id", metaId)
        .put("created_at", time(createdAt))
        .put("updated_at", time(updatedAt));
    return o;
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
