package dev.esprouter.providers.send;

import dev.esprouter.common.Recipient;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request to a provider, built by its {@link SendDialect}: a POST to {@code path} (relative
 * to the provider's base URL) with these headers and body, carrying exactly {@code recipients}, in
 * the order the provider reports per-element results.
 */
public record ProviderCall(String path, Map<String, String> headers, Buffer body, List<Recipient> recipients) {

  public ProviderCall {
    headers = Map.copyOf(headers);
    recipients = List.copyOf(recipients);
  }
}
