package dev.esprouter.sandbox.sendgrid;

import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.EcdsaSigner;
import dev.esprouter.sandbox.core.EmailWebhooks;
import dev.esprouter.sandbox.core.Hashing;
import dev.esprouter.sandbox.core.Ids;
import dev.esprouter.sandbox.core.Pending;
import dev.esprouter.sandbox.core.WebhookPost;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * SendGrid's Event Webhook (PROVIDERS.md § 1.5-1.6): one JSON array of many events per POST,
 * signed with ECDSA P-256 over timestamp + body ({@code X-Twilio-Email-Event-Webhook-Signature}
 * and {@code -Timestamp}) with {@link SandboxSecrets#SENDGRID_PRIVATE_KEY}. Every event carries
 * the request's {@code custom_args} as top-level keys (reserved keys win).
 */
public final class SendGridWebhooks extends EmailWebhooks {

  /**
   * Recipients per POST: SendGrid batches up to 768 KB; 500 recipients' events stay under it, and
   * big batches keep the ECDSA signatures (the costly part of emitting) few.
   */
  private static final int RECIPIENTS_PER_POST = 500;
  private static final String AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)";

  private final EcdsaSigner signer = new EcdsaSigner(SandboxSecrets.SENDGRID_PRIVATE_KEY);
  private final Ids eventIds;

  public SendGridWebhooks(long seed) {
    this.eventIds = new Ids(Hashing.mix(seed ^ 0x5e9d6a1dL));
  }

  @Override
  public int recipientsPerPost() {
    return RECIPIENTS_PER_POST;
  }

  @Override
  public List<WebhookPost> render(List<Pending> batch, long nowMs) {
    JsonArray events = allEvents(batch, nowMs);
    Buffer body = events.toBuffer();
    String timestamp = Long.toString(nowMs / 1000);
    return List.of(new WebhookPost(body, Map.of(
        "content-type", "application/json",
        "user-agent", "SendGrid Event API",
        "X-Twilio-Email-Event-Webhook-Signature", signer.sign(timestamp, body.getBytes()),
        "X-Twilio-Email-Event-Webhook-Timestamp", timestamp), events.size()));
  }

  @Override
  protected JsonObject delivered(Pending p, long atMs) {
    return event(p, "delivered", atMs).put("response", "250 2.0.0 OK").put("tls", 1);
  }

  @Override
  protected JsonObject opened(Pending p, long atMs) {
    return event(p, "open", atMs).put("sg_machine_open", false).put("useragent", AGENT).put("ip", "203.0.113.7");
  }

  @Override
  protected JsonObject clicked(Pending p, long atMs) {
    return event(p, "click", atMs).put("url", "https://shop.example/")
        .put("url_offset", new JsonObject().put("index", 0).put("type", "html")).put("ip", "203.0.113.7");
  }

  @Override
  protected JsonObject complained(Pending p, long atMs) {
    return event(p, "spamreport", atMs);
  }

  @Override
  protected JsonObject softBounced(Pending p, long atMs) {
    return event(p, "bounce", atMs).put("type", "blocked").put("status", "4.7.1")
        .put("reason", "451 4.7.1 Temporarily deferred due to unexpected volume")
        .put("bounce_classification", "Frequency or Volume Too High");
  }

  @Override
  protected JsonObject hardBounced(Pending p, long atMs) {
    return event(p, "bounce", atMs).put("type", "bounce").put("status", "5.1.1")
        .put("reason", "550 5.1.1 The email account that you tried to reach does not exist")
        .put("bounce_classification", "Invalid Address");
  }

  @Override
  protected JsonObject blocked(Pending p, long atMs) {
    return event(p, "bounce", atMs).put("type", "bounce").put("status", "5.7.1")
        .put("reason", "550 5.7.1 Message rejected: the sending IP has a poor reputation")
        .put("bounce_classification", "Reputation");
  }

  @Override
  protected JsonObject dropped(Pending p, long atMs) {
    return event(p, "dropped", atMs).put("reason", "Bounced Address").put("status", "5.0.0");
  }

  /** The common fields, over the custom args (SendGrid's reserved keys win over same-named custom args). */
  private JsonObject event(Pending p, String type, long atMs) {
    Delivery d = p.delivery();
    JsonObject e = d.echo() == null ? new JsonObject() : d.echo().copy();
    return e.put("email", d.address())
        .put("timestamp", atMs / 1000)
        .put("event", type)
        .put("sg_event_id", eventIds.base64Id())
        .put("sg_message_id", d.providerId() + ".recvd-" + Long.toHexString(Hashing.hash64(d.address())))
        .put("smtp-id", "<" + d.providerId() + "@sandbox.sendgrid.net>");
  }
}
