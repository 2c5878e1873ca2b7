package dev.esprouter.ingress;

/** Kafka did not take a request (broker unreachable, timed out, refused, or too much already in flight): answer 503. */
final class KafkaRefused extends RuntimeException {

  KafkaRefused(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
