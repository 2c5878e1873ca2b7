package dev.esprouter.providers.send;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import java.util.List;

/**
 * One provider's send dialect: builds its bulk requests and classifies its answers (PROVIDERS.md).
 * Pure and thread-safe; the router does the I/O. Every request carries each recipient's router
 * message id in the provider's correlation field (API.md § How a sent message is tied to its webhooks).
 */
public interface SendDialect {

  ProviderName provider();

  /** The most recipients one call carries (1 for providers without a bulk shape). */
  int maxRecipientsPerCall();

  /**
   * The calls that send {@code chunk}'s content to {@code recipients} (a subset of the chunk's).
   * Every recipient is in exactly one call.
   */
  List<ProviderCall> calls(SendChunk chunk, List<Recipient> recipients);

  /** Classifies the provider's answer to {@code call}; never throws on an unexpected body. */
  CallResult classify(ProviderCall call, ProviderResponse response);
}
