package dev.esprouter.analytics;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.ProviderName;
import dev.esprouter.providers.webhook.MalformedWebhookException;
import dev.esprouter.providers.webhook.WebhookParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only parser: the webhook body is a JSON array of normalized {@link DeliveryEvent} JSON, so the
 * consumer tests choose exactly which normalized events arrive (the providers' own formats are the
 * parsers' tests, in {@code providers}).
 */
public final class JsonEventsParser implements WebhookParser {

  private final ProviderName provider;

  public JsonEventsParser(ProviderName provider) {
    this.provider = provider;
  }

  @Override
  public ProviderName provider() {
    return provider;
  }

  @Override
  public List<DeliveryEvent> parse(Buffer body) {
    JsonArray array;
    try {
      array = body.toJsonArray();
    } catch (RuntimeException e) {
      throw new MalformedWebhookException("not a JSON array: " + e.getMessage(), e);
    }
    List<DeliveryEvent> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      out.add(DeliveryEvent.fromJson(array.getJsonObject(i)));
    }
    return out;
  }
}
