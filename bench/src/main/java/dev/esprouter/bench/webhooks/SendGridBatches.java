package dev.esprouter.bench.webhooks;

import io.vertx.core.buffer.Buffer;

/** SendGrid Event Webhook batches as SendGrid posts them: JSON arrays of documented events. */
final class SendGridBatches {

  private static final String[] EVENTS = {"delivered", "delivered", "delivered", "open", "click", "processed",
      "deferred", "bounce", "spamreport", "dropped"};

  private SendGridBatches() {
  }

  /** {@code n} events of a realistic mix (mostly deliveries), ids unique per {@code batch}. */
  static Buffer batch(int batch, int n) {
    StringBuilder b = new StringBuilder(n * 330).append('[');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(',');
      }
      String event = EVENTS[i % EVENTS.length];
      b.append("{\"email\":\"user").append(i).append("@example.com\",\"timestamp\":1763920800,")
          .append("\"smtp-id\":\"<14c5d75ce93.dfd.64b469@ismtpd-555>\",\"event\":\"").append(event).append("\",")
          .append("\"category\":[\"welcome\"],\"sg_event_id\":\"b").append(batch).append("-e").append(i).append("\",")
          .append("\"sg_message_id\":\"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.").append(i).append("\",")
          .append("\"esp_message_id\":\"msg_01KAQZJ00000000000").append(String.format("%07d", i)).append("\"");
      if (event.equals("bounce")) {
        b.append(",\"type\":\"bounce\",\"status\":\"5.1.1\",\"bounce_classification\":\"Invalid Address\",")
            .append("\"reason\":\"550 5.1.1 The email account that you tried to reach does not exist\"");
      } else if (event.equals("delivered")) {
        b.append(",\"response\":\"250 OK\",\"tls\":1,\"ip\":\"168.1.1.1\"");
      } else if (event.equals("click")) {
        b.append(",\"url\":\"https://shop.example/orders/A-17\",\"useragent\":\"Mozilla/5.0\"");
      }
      b.append('}');
    }
    return Buffer.buffer(b.append(']').toString());
  }
}
