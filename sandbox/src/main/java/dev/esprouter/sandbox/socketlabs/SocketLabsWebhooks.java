package dev.esprouter.sandbox.socketlabs;

import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.EmailWebhooks;
import dev.esprouter.sandbox.core.Pending;
import dev.esprouter.sandbox.core.Times;
import dev.esprouter.sandbox.core.WebhookPost;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * SocketLabs event webhooks (PROVIDERS.md § 3.4-3.5): one JSON object per POST with {@code Type}
 * Delivered, Failed, Complaint or Tracking, carrying the endpoint's {@code SecretKey}
 * ({@link SandboxSecrets#SOCKETLABS_WEBHOOK_SECRET}), the {@code MessageId} and {@code MailingId}
 * the router set, and the message's Metadata and Tags under {@code Data}.
 */
public final class SocketLabsWebhooks extends EmailWebhooks {

  private static final Map<String, String> HEADERS = Map.of("content-type", "application/json");
  private static final String AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)";

  @Override
  public int recipientsPerPost() {
    return 1;
  }

  @Override
  public List<WebhookPost> render(List<Pending> batch, long nowMs) {
    return onePerPost(batch, nowMs, HEADERS);
  }

  @Override
  protected JsonObject delivered(Pending p, long atMs) {
    return event(p, "Delivered", atMs).put("Response", "250 2.0.0 OK").put("LocalIp", "192.0.2.10")
        .put("RemoteMta", "mx.example.net");
  }

  @Override
  protected JsonObject opened(Pending p, long atMs) {
    return event(p, "Tracking", atMs).put("TrackingType", 1).put("ClientIp", "203.0.113.7").put("UserAgent", AGENT);
  }

  @Override
  protected JsonObject clicked(Pending p, long atMs) {
    return event(p, "Tracking", atMs).put("TrackingType", 0).put("ClientIp", "203.0.113.7")
        .put("Url", "https://shop.example/").put("UserAgent", AGENT);
  }

  @Override
  protected JsonObject complained(Pending p, long atMs) {
    return event(p, "Complaint", atMs).put("FblType", "abuse").put("UserAgent", "Sandbox FBL").put("From", "")
        .put("To", p.delivery().address());
  }

  @Override
  protected JsonObject softBounced(Pending p, long atMs) {
    return failed(p, atMs, "Temporary", 3001, "4.2.2", "Mailbox full");
  }

  @Override
  protected JsonObject hardBounced(Pending p, long atMs) {
    return failed(p, atMs, "Permanent", 2001, "5.1.1", "Invalid recipient");
  }

  /** FailureCode 1xxx is "blocked" (1002: blacklisted), unlike the 2xxx address failures. */
  @Override
  protected JsonObject blocked(Pending p, long atMs) {
    return failed(p, atMs, "Permanent", 1002, "5.7.1", "Blocked: the sending IP is on a blacklist");
  }

  @Override
  protected JsonObject dropped(Pending p, long atMs) {
    return failed(p, atMs, "Suppressed", 1999, "5.7.1", "Recipient is suppressed");
  }

  private static JsonObject failed(Pending p, long atMs, String type, int code, String status, String reason) {
    return event(p, "Failed", atMs).put("FailureType", type).put("FailureCode", code)
        .put("BounceStatus", status).put("DiagnosticCode", "smtp; " + status + " " + reason)
        .put("Reason", reason).put("RemoteMta", "mx.example.net").put("FromAddress", "");
  }

  private static JsonObject event(Pending p, String type, long atMs) {
    Delivery d = p.delivery();
    JsonObject echo = d.echo();
    return new JsonObject()
        .put("Type", type)
        .put("DateTime", Times.iso(atMs))
        .put("MailingId", echo.getString("MailingId"))
        .put("MessageId", d.routerId())
        .put("Address", d.address())
        .put("ServerId", echo.getValue("ServerId"))
        .put("SubaccountId", 0)
        .put("IpPoolId", 0)
        .put("SecretKey", SandboxSecrets.SOCKETLABS_WEBHOOK_SECRET)
        .put("Data", echo.getJsonObject("Data"));
  }
}
