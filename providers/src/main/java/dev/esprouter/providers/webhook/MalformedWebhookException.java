package dev.esprouter.providers.webhook;

/** A webhook body that is not in its provider's documented format (answered 400, never retried into Kafka). */
public final class MalformedWebhookException extends RuntimeException {

  public MalformedWebhookException(String message) {
    super(message, null, false, false);
  }

  public MalformedWebhookException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
