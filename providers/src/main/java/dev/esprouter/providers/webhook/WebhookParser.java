package dev.esprouter.providers.webhook;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.ProviderName;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Turns one provider's verified webhook body (as received, raw bytes) into normalized events.
 * Pure and thread-safe. Bodies that carry no delivery event (a Telegram message update, a
 * SocketLabs validation request) give an empty list.
 */
public interface WebhookParser {

  ProviderName provider();

  /** @throws MalformedWebhookException when the body is not in the provider's format */
  List<DeliveryEvent> parse(Buffer body);
}
