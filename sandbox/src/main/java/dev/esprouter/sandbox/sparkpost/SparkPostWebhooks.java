package dev.esprouter.sandbox.sparkpost;

import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.Ids;
import dev.esprouter.sandbox.core.Outcome;
import dev.esprouter.sandbox.core.Pending;
import dev.esprouter.sandbox.core.WebhookAuth;
import dev.esprouter.sandbox.core.WebhookFormat;
import dev.esprouter.sandbox.core.WebhookPost;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * SparkPost webhooks (PROVIDERS.md § 4.4-4.5): a JSON array of {@code {"msys":{"<category>":{...}}}}
 * per POST, basic auth ({@link SandboxSecrets#SPARKPOST_WEBHOOK_USER}), a batch id in
 * {@code X-MessageSystems-Batch-ID}; each event carries the recipient's metadata as
 * {@code rcpt_meta} and the {@code transmission_id} of the send.
 */
public final class SparkPostWebhooks implements WebhookFormat {

  private static final int RECIPIENTS_PER_POST = 300;

  private final String authorization = WebhookAuth.basic(SandboxSecrets.SPARKPOST_WEBHOOK_USER,
      SandboxSecrets.SPARKPOST_WEBHOOK_PASSWORD);
  private final Ids ids;

  public SparkPostWebhooks(long seed) {
    this.ids = new Ids(seed ^ 0x59a7L);
  }

  @Override
  public int recipientsPerPost() {
    return RECIPIENTS_PER_POST;
  }

  @Override
  public int eventCount(Outcome outcome) {
    return outcome.emailEvents();
  }

  @Override
  public List<WebhookPost> render(List<Pending> batch, long nowMs) {
    JsonArray events = new JsonArray();
    int count = 0;
    for (Pending p : batch) {
      Outcome o = p.outcome();
      long t = p.acceptedAtMs() / 1000;
      switch (o.fate()) {
        case DELIVERED -> {
          events.add(wrap("message_event", event(p, "delivery", t + 1)));
          if (o.opened()) {
            events.add(wrap("track_event", event(p, "open", t + 30).put("user_agent", "Mozilla/5.0")));
          }
          if (o.clicked()) {
            events.add(wrap("track_event", event(p, "click", t + 60).put("target_link_url", "https://shop.example/")));
          }
          if (o.complained()) {
            events.add(wrap("message_event", event(p, "spam_complaint", t + 90).put("fbtype", "abuse")));
          }
        }
        case SOFT_BOUNCE -> events.add(wrap("message_event", event(p, "bounce", t + 1).put("bounce_class", "20")
            .put("reason", "452 4.2.2 Mailbox full").put("raw_reason", "452 4.2.2 Mailbox full")
            .put("error_code", "452")));
        case HARD_BOUNCE -> events.add(wrap("message_event", event(p, "bounce", t + 1).put("bounce_class", "10")
            .put("reason", "550 5.1.1 Invalid recipient").put("raw_reason", "550 5.1.1 Invalid recipient")
            .put("error_code", "550")));
        case DROPPED -> events.add(wrap("gen_event", event(p, "generation_rejection", t)
            .put("reason", "recipient is on the suppression list").put("error_code", "554")));
      }
      count += o.emailEvents();
    }
    return List.of(new WebhookPost(events.toBuffer(), Map.of(
        "content-type", "application/json",
        "Authorization", authorization,
        "X-MessageSystems-Batch-ID", ids.uuid()), count));
  }

  private static JsonObject wrap(String category, JsonObject event) {
    return new JsonObject().put("msys", new JsonObject().put(category, event));
  }

  private JsonObject event(Pending p, String type, long timestamp) {
    Delivery d = p.delivery();
    JsonObject echo = d.echo();
    return new JsonObject()
        .put("type", type)
        .put("event_id", Long.toString(ids.nextLong() & Long.MAX_VALUE))
        .put("message_id", echo.getString("message_id"))
        .put("transmission_id", d.providerId())
        .put("campaign_id", echo.getString("campaign_id"))
        .put("rcpt_to", d.address())
        .put("raw_rcpt_to", d.address())
        .put("rcpt_meta", echo.getJsonObject("rcpt_meta"))
        .put("rcpt_tags", echo.getJsonArray("rcpt_tags"))
        .put("timestamp", Long.toString(timestamp));
  }
}
