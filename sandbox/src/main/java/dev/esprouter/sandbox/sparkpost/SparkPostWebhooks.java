package dev.esprouter.sandbox.sparkpost;

import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.EmailWebhooks;
import dev.esprouter.sandbox.core.Ids;
import dev.esprouter.sandbox.core.Pending;
import dev.esprouter.sandbox.core.WebhookAuth;
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
public final class SparkPostWebhooks extends EmailWebhooks {

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
  public List<WebhookPost> render(List<Pending> batch, long nowMs) {
    JsonArray events = allEvents(batch, nowMs);
    return List.of(new WebhookPost(events.toBuffer(), Map.of(
        "content-type", "application/json",
        "Authorization", authorization,
        "X-MessageSystems-Batch-ID", ids.uuid()), events.size()));
  }

  @Override
  protected JsonObject delivered(Pending p, long atMs) {
    return msys("message_event", event(p, "delivery", atMs));
  }

  @Override
  protected JsonObject opened(Pending p, long atMs) {
    return msys("track_event", event(p, "open", atMs).put("user_agent", "Mozilla/5.0"));
  }

  @Override
  protected JsonObject clicked(Pending p, long atMs) {
    return msys("track_event", event(p, "click", atMs).put("target_link_url", "https://shop.example/"));
  }

  @Override
  protected JsonObject complained(Pending p, long atMs) {
    return msys("message_event", event(p, "spam_complaint", atMs).put("fbtype", "abuse"));
  }

  @Override
  protected JsonObject softBounced(Pending p, long atMs) {
    return msys("message_event", bounce(p, atMs, "20", "452 4.2.2 Mailbox full"));
  }

  @Override
  protected JsonObject hardBounced(Pending p, long atMs) {
    return msys("message_event", bounce(p, atMs, "10", "550 5.1.1 Invalid recipient"));
  }

  /** Bounce class 51, "Spam Block": the receiver refused mail from a source it lists as spam. */
  @Override
  protected JsonObject blocked(Pending p, long atMs) {
    return msys("message_event", bounce(p, atMs, "51",
        "554 5.7.1 Service unavailable; client host blocked using a reputation blocklist"));
  }

  @Override
  protected JsonObject dropped(Pending p, long atMs) {
    return msys("gen_event", event(p, "generation_rejection", atMs)
        .put("reason", "recipient is on the suppression list").put("error_code", "554"));
  }

  private JsonObject bounce(Pending p, long atMs, String bounceClass, String reason) {
    return event(p, "bounce", atMs).put("bounce_class", bounceClass).put("reason", reason).put("raw_reason", reason)
        .put("error_code", reason.substring(0, 3));
  }

  private static JsonObject msys(String category, JsonObject event) {
    return new JsonObject().put("msys", new JsonObject().put(category, event));
  }

  private JsonObject event(Pending p, String type, long atMs) {
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
        .put("timestamp", Long.toString(atMs / 1000));
  }
}
