package dev.esprouter.sandbox.meta;

import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.Outcome;
import dev.esprouter.sandbox.core.Pending;
import dev.esprouter.sandbox.core.WebhookAuth;
import dev.esprouter.sandbox.core.WebhookFormat;
import dev.esprouter.sandbox.core.WebhookPost;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WhatsApp status webhooks (PROVIDERS.md § 5.4-5.5): {@code entry[].changes[].value.statuses[]}
 * (sent, then delivered or failed, then read), one entry per phone number id, signed with
 * {@code X-Hub-Signature-256: sha256=HMAC-SHA256(app secret, raw body)} using
 * {@link SandboxSecrets#META_APP_SECRET}.
 */
public final class MetaWebhooks implements WebhookFormat {

  private static final int RECIPIENTS_PER_POST = 50;
  private static final String WABA_ID = "102290129340398";

  @Override
  public int recipientsPerPost() {
    return RECIPIENTS_PER_POST;
  }

  @Override
  public int eventCount(Outcome outcome) {
    return 2 + (outcome.delivered() && outcome.opened() ? 1 : 0);
  }

  @Override
  public List<WebhookPost> render(List<Pending> batch, long nowMs) {
    Map<String, JsonArray> byPhone = new LinkedHashMap<>();
    int count = 0;
    for (Pending p : batch) {
      JsonArray statuses = byPhone.computeIfAbsent(p.delivery().group(), k -> new JsonArray());
      Outcome o = p.outcome();
      long t = p.acceptedAtMs() / 1000;
      long now = nowMs / 1000;
      statuses.add(status(p, "sent", t).put("pricing", new JsonObject().put("billable", true)
          .put("pricing_model", "PMP").put("category", "utility")));
      switch (o.fate()) {
        case DELIVERED -> {
          statuses.add(status(p, "delivered", Math.min(t + 1, now)));
          if (o.opened()) {
            statuses.add(status(p, "read", Math.min(t + 30, now)));
          }
        }
        case HARD_BOUNCE -> statuses.add(failed(p, Math.min(t + 1, now), 131026, "Message undeliverable",
            "Message Undeliverable."));
        case SOFT_BOUNCE -> statuses.add(failed(p, Math.min(t + 1, now), 131000, "Something went wrong",
            "Message failed to send because of an unknown error."));
        case DROPPED -> statuses.add(failed(p, Math.min(t + 1, now), 131050, "Unable to deliver the message",
            "The user has stopped marketing messages."));
        // The sender's quality, not the user: Meta limits what this phone number may send.
        case BLOCKED -> statuses.add(failed(p, Math.min(t + 1, now), 131048, "Spam rate limit hit",
            "Message failed to send because there are restrictions on how many messages can be sent from this "
                + "phone number."));
      }
      count += eventCount(o);
    }
    JsonArray entries = new JsonArray();
    byPhone.forEach((phone, statuses) -> entries.add(new JsonObject()
        .put("id", WABA_ID)
        .put("changes", new JsonArray().add(new JsonObject()
            .put("field", "messages")
            .put("value", new JsonObject()
                .put("messaging_product", "whatsapp")
                .put("metadata", new JsonObject().put("display_phone_number", "15550000000")
                    .put("phone_number_id", phone))
                .put("statuses", statuses))))));
    Buffer body = new JsonObject().put("object", "whatsapp_business_account").put("entry", entries).toBuffer();
    return List.of(new WebhookPost(body, Map.of(
        "content-type", "application/json",
        "X-Hub-Signature-256", "sha256=" + WebhookAuth.hmacSha256Hex(SandboxSecrets.META_APP_SECRET, body.getBytes())),
        count));
  }

  private static JsonObject status(Pending p, String status, long timestamp) {
    Delivery d = p.delivery();
    JsonObject s = new JsonObject()
        .put("id", d.providerId())
        .put("status", status)
        .put("timestamp", Long.toString(timestamp))
        .put("recipient_id", d.address());
    if (d.routerId() != null) {
      s.put("biz_opaque_callback_data", d.routerId());
    }
    return s;
  }

  private static JsonObject failed(Pending p, long timestamp, int code, String title, String details) {
    return status(p, "failed", timestamp).put("errors", new JsonArray().add(new JsonObject()
        .put("code", code).put("title", title).put("message", title)
        .put("error_data", new JsonObject().put("details", details))));
  }
}
