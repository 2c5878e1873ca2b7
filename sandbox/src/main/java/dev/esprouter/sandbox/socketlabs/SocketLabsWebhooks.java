package dev.esprouter.sandbox.socketlabs;

import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.Outcome;
import dev.esprouter.sandbox.core.Pending;
import dev.esprouter.sandbox.core.Times;
import dev.esprouter.sandbox.core.WebhookFormat;
import dev.esprouter.sandbox.core.WebhookPost;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SocketLabs event webhooks (PROVIDERS.md § 3.4-3.5): one JSON object per POST with {@code Type}
 * Delivered, Failed, Complaint or Tracking, carrying the endpoint's {@code SecretKey}
 * ({@link SandboxSecrets#SOCKETLABS_WEBHOOK_SECRET}), the {@code MessageId} and {@code MailingId}
 * the router set, and the message's Metadata and Tags under {@code Data}.
 */
public final class SocketLabsWebhooks implements WebhookFormat {

  private static final Map<String, String> HEADERS = Map.of("content-type", "application/json");

  @Override
  public int recipientsPerPost() {
    return 1;
  }

  @Override
  public int eventCount(Outcome outcome) {
    return outcome.emailEvents();
  }

  @Override
  public List<WebhookPost> render(List<Pending> batch, long nowMs) {
    List<WebhookPost> posts = new ArrayList<>();
    for (Pending p : batch) {
      Outcome o = p.outcome();
      long t = p.acceptedAtMs();
      switch (o.fate()) {
        case DELIVERED -> {
          posts.add(post(event(p, "Delivered", t + 1_000).put("Response", "250 2.0.0 OK")
              .put("LocalIp", "192.0.2.10").put("RemoteMta", "mx.example.net")));
          if (o.opened()) {
            posts.add(post(event(p, "Tracking", t + 30_000).put("TrackingType", 1).put("ClientIp", "203.0.113.7")
                .put("UserAgent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)")));
          }
          if (o.clicked()) {
            posts.add(post(event(p, "Tracking", t + 60_000).put("TrackingType", 0).put("ClientIp", "203.0.113.7")
                .put("Url", "https://shop.example/").put("UserAgent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)")));
          }
          if (o.complained()) {
            posts.add(post(event(p, "Complaint", t + 90_000).put("FblType", "abuse")
                .put("UserAgent", "Sandbox FBL").put("From", "").put("To", p.delivery().address())));
          }
        }
        case SOFT_BOUNCE -> posts.add(post(failed(p, t, "Temporary", 3001, "4.2.2", "Mailbox full")));
        case HARD_BOUNCE -> posts.add(post(failed(p, t, "Permanent", 2001, "5.1.1", "Invalid recipient")));
        case DROPPED -> posts.add(post(failed(p, t, "Suppressed", 1999, "5.7.1", "Recipient is suppressed")));
      }
    }
    return posts;
  }

  private static JsonObject failed(Pending p, long t, String type, int code, String status, String reason) {
    return event(p, "Failed", t + 1_000).put("FailureType", type).put("FailureCode", code)
        .put("BounceStatus", status).put("DiagnosticCode", "smtp; " + status + " " + reason)
        .put("Reason", reason).put("RemoteMta", "mx.example.net").put("FromAddress", "");
  }

  private static JsonObject event(Pending p, String type, long at) {
    Delivery d = p.delivery();
    JsonObject echo = d.echo();
    return new JsonObject()
        .put("Type", type)
        .put("DateTime", Times.iso(at))
        .put("MailingId", echo.getString("MailingId"))
        .put("MessageId", d.routerId())
        .put("Address", d.address())
        .put("ServerId", echo.getValue("ServerId"))
        .put("SubaccountId", 0)
        .put("IpPoolId", 0)
        .put("SecretKey", SandboxSecrets.SOCKETLABS_WEBHOOK_SECRET)
        .put("Data", echo.getJsonObject("Data"));
  }

  private static WebhookPost post(JsonObject event) {
    return new WebhookPost(event.toBuffer(), HEADERS, 1);
  }
}
