package dev.esprouter.providers.webhook;

import dev.esprouter.common.ProviderName;

/**
 * Decides whether a webhook request really comes from its provider, on the raw body bytes and
 * headers, before anything parses the body for its content. Thread-safe; comparisons of secrets are
 * constant-time; with no secret configured it refuses everything (fail closed).
 */
public interface WebhookVerifier {

  ProviderName provider();

  /**
   * @throws MalformedWebhookException when the proof of origin is inside a body that cannot be read
   *                                   (SocketLabs puts its secret in the payload)
   */
  Verdict verify(WebhookRequest request);
}
