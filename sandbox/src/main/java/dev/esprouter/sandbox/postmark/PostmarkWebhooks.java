package dev.esprouter.sandbox.postmark;

import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.EmailWebhooks;
import dev.esprouter.sandbox.core.Ids;
import dev.esprouter.sandbox.core.Pending;
import dev.esprouter.sandbox.core.Times;
import dev.esprouter.sandbox.core.WebhookAuth;
import dev.esprouter.sandbox.core.WebhookPost;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Postmark's webhooks (PROVIDERS.md § 2.4-2.5): one JSON object per POST, {@code RecordType}
 * Delivery, Bounce, SpamComplaint, Open or Click, authenticated with the basic-auth credentials of
 * the webhook URL ({@link SandboxSecrets#POSTMARK_WEBHOOK_USER}). A 403 answer stops retries.
 */
public final class PostmarkWebhooks extends EmailWebhooks {

  private static final int SERVER_ID = 23_456;
  private static final Map<String, String> HEADERS = Map.of("content-type", "application/json", "Authorization",
      WebhookAuth.basic(SandboxSecrets.POSTMARK_WEBHOOK_USER, SandboxSecrets.POSTMARK_WEBHOOK_PASSWORD));

  private static final String INVALID_ADDRESS =
      "smtp;550 5.1.1 The email account that you tried to reach does not exist";
  private static final String MAILBOX_FULL = "smtp;452 4.2.2 Mailbox full";

  private final Ids bounceIds;

  public PostmarkWebhooks(long seed) {
    this.bounceIds = new Ids(seed ^ 0x7057L);
  }

  @Override
  public int recipientsPerPost() {
    return 1;
  }

  @Override
  public boolean retriesAfter(int status) {
    return status != 403;
  }

  @Override
  public List<WebhookPost> render(List<Pending> batch, long nowMs) {
    return onePerPost(batch, nowMs, HEADERS);
  }

  @Override
  protected JsonObject delivered(Pending p, long atMs) {
    return record(p, "Delivery").put("Recipient", p.delivery().address()).put("DeliveredAt", Times.iso(atMs))
        .put("Details", "smtp;250 2.0.0 OK");
  }

  @Override
  protected JsonObject opened(Pending p, long atMs) {
    return record(p, "Open").put("Recipient", p.delivery().address()).put("FirstOpen", true)
        .put("ReceivedAt", Times.iso(atMs)).put("Platform", "Desktop").put("ReadSeconds", 7)
        .put("UserAgent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
  }

  @Override
  protected JsonObject clicked(Pending p, long atMs) {
    return record(p, "Click").put("Recipient", p.delivery().address()).put("ReceivedAt", Times.iso(atMs))
        .put("OriginalLink", "https://shop.example/").put("ClickLocation", "HTML").put("Platform", "Desktop");
  }

  @Override
  protected JsonObject complained(Pending p, long atMs) {
    return bounce(p, "SpamComplaint", 100001, "Spam complaint", true, INVALID_ADDRESS, atMs)
        .put("RecordType", "SpamComplaint");
  }

  @Override
  protected JsonObject softBounced(Pending p, long atMs) {
    return bounce(p, "SoftBounce", 4096, "Soft bounce", false, MAILBOX_FULL, atMs);
  }

  @Override
  protected JsonObject hardBounced(Pending p, long atMs) {
    return bounce(p, "HardBounce", 1, "Hard bounce", true, INVALID_ADDRESS, atMs);
  }

  /**
   * Postmark has no "dropped" webhook (an address it has deactivated is refused at the API with
   * ErrorCode 406); the nearest thing it reports after accepting a message is an ISP refusing it on
   * content, so that is what a dropped recipient gets here. The address stays active.
   */
  @Override
  protected JsonObject dropped(Pending p, long atMs) {
    return bounce(p, "Blocked", 100006, "ISP block", false,
        "smtp;554 Message refused by the receiving server's content filter", atMs);
  }

  /** An ISP block of the sending IP: Postmark leaves the address active (it is not the address's fault). */
  @Override
  protected JsonObject blocked(Pending p, long atMs) {
    return bounce(p, "Blocked", 100006, "ISP block", false,
        "smtp;550 5.7.1 Message rejected: the sending IP is on a reputation blocklist", atMs);
  }

  private JsonObject bounce(Pending p, String type, int code, String name, boolean inactive, String details,
                            long atMs) {
    Delivery d = p.delivery();
    return record(p, "Bounce")
        .put("ID", bounceIds.nextLong() & Long.MAX_VALUE)
        .put("Type", type)
        .put("TypeCode", code)
        .put("Name", name)
        .put("Description", name + " reported by the receiving server.")
        .put("Details", details)
        .put("Email", d.address())
        .put("From", "")
        .put("BouncedAt", Times.iso(atMs))
        .put("DumpAvailable", false)
        .put("Inactive", inactive)
        .put("CanActivate", true)
        .put("Subject", "");
  }

  private static JsonObject record(Pending p, String type) {
    Delivery d = p.delivery();
    JsonObject echo = d.echo();
    return new JsonObject()
        .put("RecordType", type)
        .put("ServerID", SERVER_ID)
        .put("MessageStream", echo.getString("MessageStream"))
        .put("MessageID", d.providerId())
        .put("Tag", echo.getString("Tag"))
        .put("Metadata", echo.getJsonObject("Metadata"));
  }
}
