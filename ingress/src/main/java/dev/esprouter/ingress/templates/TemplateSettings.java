package dev.esprouter.ingress.templates;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import java.util.Optional;

/**
 * The template registry's settings (docs/CONFIGURATION.md § Templates), read and checked at start.
 *
 * @param wabaId        {@code META_WABA_ID}: the WhatsApp Business Account whose {@code message_templates}
 *                      the registry manages; in sandbox mode the sandbox's account by default; unset in
 *                      live mode: submitting, syncing and deleting at Meta are off
 * @param apiVersion    {@code META_API_VERSION} (default {@code v21.0}), as the router's send dialect
 * @param metaBaseUrl   Meta's base URL ({@code META_BASE_URL}, the sandbox's {@code /meta} in sandbox mode)
 * @param accessToken   {@code META_ACCESS_TOKEN} (a placeholder the sandbox accepts in sandbox mode)
 * @param syncMs        {@code ESP_TEMPLATES_SYNC_MS}: how often Meta's list is read to catch a lost webhook and
 *                      import templates that exist only at Meta (default 5 minutes; 0 turns it off)
 * @param cacheMs       {@code ESP_TEMPLATES_CACHE_MS}: how long a process uses a tenant's registry before it
 *                      checks the tenant's version again (default 2000)
 * @param groupId       {@code ESP_TEMPLATES_GROUP_ID}: consumer group of the status updates read from
 *                      {@code webhooks.meta} (default {@code esp-templates})
 * @param importTenant  {@code ESP_TEMPLATES_IMPORT_TENANT}: the tenant (id or name) that receives the
 *                      templates the sync finds only at Meta (default {@code default}; empty: no import)
 */
public record TemplateSettings(Optional<String> wabaId, String apiVersion, String metaBaseUrl, String accessToken,
                               long syncMs, long cacheMs, String groupId, Optional<String> importTenant) {

  /** The WhatsApp Business Account of the sandbox's status webhooks. */
  public static final String SANDBOX_WABA_ID = "102290129340398";

  public static TemplateSettings from(EspConfig config) {
    ConfigReader c = config.reader();
    ProviderSettings meta = config.provider(ProviderName.META);
    boolean sandbox = config.providersMode() == ProvidersMode.SANDBOX;
    Optional<String> waba = c.string("META_WABA_ID").or(() -> sandbox ? Optional.of(SANDBOX_WABA_ID)
        : Optional.empty());
    waba.ifPresent(w -> {
      if (!w.matches("[0-9]{1,30}")) {
        throw new dev.esprouter.common.config.ConfigException("META_WABA_ID=" + w + ": must be the numeric id of a "
            + "WhatsApp Business Account");
      }
    });
    String token = meta.credential("META_ACCESS_TOKEN").orElse("sandbox-meta-token");
    return new TemplateSettings(waba, c.string("META_API_VERSION", "v21.0"), meta.baseUrl(), token,
        c.longValue("ESP_TEMPLATES_SYNC_MS", 300_000, 0, 86_400_000),
        c.longValue("ESP_TEMPLATES_CACHE_MS", 2_000, 0, 600_000),
        c.string("ESP_TEMPLATES_GROUP_ID", "esp-templates"),
        Optional.ofNullable(c.string("ESP_TEMPLATES_IMPORT_TENANT", "default")).filter(s -> !s.isBlank()
            && !s.equals("none")));
  }

  /** Cache TTL only (what every process needs, including those that run no ingress role). */
  public static long cacheMs(ConfigReader c) {
    return c.longValue("ESP_TEMPLATES_CACHE_MS", 2_000, 0, 600_000);
  }

  @Override
  public String toString() {
    return "TemplateSettings{wabaId=" + wabaId.orElse("unset") + ", apiVersion=" + apiVersion + ", metaBaseUrl="
        + metaBaseUrl + ", syncMs=" + syncMs + ", cacheMs=" + cacheMs + ", groupId=" + groupId + ", importTenant="
        + importTenant.orElse("none") + "}";
  }
}
