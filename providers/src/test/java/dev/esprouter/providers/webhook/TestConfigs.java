package dev.esprouter.providers.webhook;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Provider settings as the app would load them from these environment variables. */
public final class TestConfigs {

  private TestConfigs() {
  }

  public static EspConfig config(ProvidersMode mode, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("ESP_PROVIDERS_MODE", mode.name().toLowerCase(java.util.Locale.ROOT));
    return EspConfig.from(ConfigReader.of(all));
  }

  public static ProviderSettings settings(ProviderName p, ProvidersMode mode, Map<String, String> env) {
    return config(mode, env).provider(p);
  }

  public static WebhookRequest request(Buffer body, Instant at, String... headerPairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    return new WebhookRequest(headers, body, at);
  }
}
