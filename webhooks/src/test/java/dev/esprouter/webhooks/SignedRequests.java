package dev.esprouter.webhooks;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.meta.MetaWebhookVerifier;
import dev.esprouter.providers.sendgrid.SendGridWebhookSigner;
import dev.esprouter.providers.sendgrid.SendGridWebhookVerifier;
import dev.esprouter.providers.telegram.TelegramWebhookVerifier;
import dev.esprouter.providers.webhook.BasicAuthWebhookVerifier;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** Webhook requests as each provider sends them, signed with the sandbox's well-known secrets. */
final class SignedRequests {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final SendGridWebhookSigner SENDGRID = SendGridWebhookSigner.fromBase64(
      SandboxSecrets.SENDGRID_PRIVATE_KEY);

  private SignedRequests() {
  }

  /** A documented body of each provider's format with one delivered event for {@code messageId}. */
  static String body(ProviderName p, String messageId) {
    return switch (p) {
      case SENDGRID -> "[{\"email\":\"a@example.com\",\"timestamp\":1763920800,\"event\":\"delivered\","
          + "\"sg_event_id\":\"ev-" + messageId + "\",\"sg_message_id\":\"x.filter0\",\"esp_message_id\":\""
          + messageId + "\"}]";
      case POSTMARK -> "{\"RecordType\":\"Delivery\",\"MessageID\":\"pm-1\",\"Recipient\":\"a@example.com\","
          + "\"DeliveredAt\":\"2026-11-23T17:20:05Z\",\"Metadata\":{\"esp_message_id\":\"" + messageId + "\"}}";
      case SOCKETLABS -> "{\"Type\":\"Delivered\",\"DateTime\":\"2026-11-23T17:20:04Z\",\"MessageId\":\""
          + messageId + "\",\"Address\":\"a@example.com\",\"ServerId\":1,\"SecretKey\":\""
          + SandboxSecrets.SOCKETLABS_WEBHOOK_SECRET + "\"}";
      case SPARKPOST -> "[{\"msys\":{\"message_event\":{\"type\":\"delivery\",\"event_id\":\"ev-" + messageId
          + "\",\"transmission_id\":\"1\",\"rcpt_to\":\"a@example.com\",\"timestamp\":\"1763920805\","
          + "\"rcpt_meta\":{\"esp_message_id\":\"" + messageId + "\"}}}}]";
      case META -> "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
          + "\"messages\",\"value\":{\"statuses\":[{\"id\":\"wamid.1\",\"status\":\"delivered\",\"timestamp\":"
          + "\"1763920805\",\"recipient_id\":\"16505550101\",\"biz_opaque_callback_data\":\"" + messageId
          + "\"}]}}]}]}";
      case TELEGRAM -> "{\"update_id\":" + Math.abs(messageId.hashCode()) + ",\"message\":{\"message_id\":1,"
          + "\"date\":1763920800,\"chat\":{\"id\":1,\"type\":\"private\"},\"text\":\"" + messageId + "\"}}";
    };
  }

  /** A SendGrid batch of {@code n} delivered events, about 200 bytes each. */
  static String sendgridBatch(int n, String marker) {
    StringBuilder b = new StringBuilder(n * 220).append('[');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"email\":\"r").append(i).append("@example.com\",\"timestamp\":1763920800,\"event\":\"delivered\",")
          .append("\"sg_event_id\":\"").append(marker).append('-').append(i)
          .append("\",\"sg_message_id\":\"x.filter0\",\"esp_message_id\":\"msg_").append(i).append("\"}");
    }
    return b.append(']').toString();
  }

  /** A POST of {@code body} to {@code /webhooks/<p>} carrying the provider's proof of origin. */
  static HttpRequest.Builder signed(String baseUrl, ProviderName p, String body) {
    HttpRequest.Builder b = unsigned(baseUrl, p, body);
    switch (p) {
      case SENDGRID -> {
        String ts = Long.toString(Instant.now().getEpochSecond());
        b.header(SendGridWebhookVerifier.SIGNATURE_HEADER, SENDGRID.sign(ts, Buffer.buffer(body)))
            .header(SendGridWebhookVerifier.TIMESTAMP_HEADER, ts);
      }
      case POSTMARK -> b.header("Authorization", BasicAuthWebhookVerifier.header(SandboxSecrets.POSTMARK_WEBHOOK_USER,
          SandboxSecrets.POSTMARK_WEBHOOK_PASSWORD));
      case SPARKPOST -> b.header("Authorization", BasicAuthWebhookVerifier.header(
          SandboxSecrets.SPARKPOST_WEBHOOK_USER, SandboxSecrets.SPARKPOST_WEBHOOK_PASSWORD));
      case META -> b.header(MetaWebhookVerifier.SIGNATURE_HEADER,
          MetaWebhookVerifier.signature(SandboxSecrets.META_APP_SECRET, Buffer.buffer(body).getBytes()));
      case TELEGRAM -> b.header(TelegramWebhookVerifier.SECRET_HEADER, SandboxSecrets.TELEGRAM_WEBHOOK_SECRET);
      case SOCKETLABS -> {
        // The secret is in the body.
      }
    }
    return b;
  }

  static HttpRequest.Builder unsigned(String baseUrl, ProviderName p, String body) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/" + p.wire()))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
