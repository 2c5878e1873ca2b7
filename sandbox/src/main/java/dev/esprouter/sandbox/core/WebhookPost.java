package dev.esprouter.sandbox.core;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/** One webhook request as the provider would send it: signed body and headers, and how many events it holds. */
public record WebhookPost(Buffer body, Map<String, String> headers, int events) {
}
