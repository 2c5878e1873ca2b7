package dev.esprouter.campaigns;

import dev.esprouter.common.config.ConfigReader;

/**
 * The campaigns role's own settings, read and checked at start-up (docs/CONFIGURATION.md § Campaigns).
 *
 * @param uploadMaxBytes        {@code ESP_CAMPAIGN_UPLOAD_MAX_BYTES}: bytes of one upload as sent (0: no limit); 413 above
 * @param uploadMaxInflated     {@code ESP_CAMPAIGN_UPLOAD_MAX_INFLATED_BYTES}: bytes of one upload once decompressed; 413 above
 * @param uploadMaxRatio        {@code ESP_CAMPAIGN_UPLOAD_MAX_RATIO}: decompressed bytes per compressed byte (past the
 *                              first MiB) before a gzip body is refused as a bomb (413)
 * @param maxLineBytes          {@code ESP_CAMPAIGN_MAX_LINE_BYTES}: the longest line (CSV record, NDJSON line); 400 above
 * @param uploads               {@code ESP_CAMPAIGN_UPLOADS}: uploads this process reads at once; 503 above
 * @param tickMs                {@code ESP_CAMPAIGN_FEEDER_TICK_MS}: how often the feeder claims campaigns and feeds them
 * @param leaseMs               {@code ESP_CAMPAIGN_LEASE_MS}: how long a feeder's claim on a campaign lasts unrenewed
 * @param maxAhead              {@code ESP_CAMPAIGN_MAX_AHEAD}: recipients of one campaign fed but not yet settled by the router
 * @param feeds                 {@code ESP_CAMPAIGN_FEEDS}: campaigns one process feeds at once
 * @param gateCacheMs           {@code ESP_CAMPAIGN_GATE_CACHE_MS}: how long the router's gate trusts a campaign's state
 */
record CampaignSettings(long uploadMaxBytes, long uploadMaxInflated, int uploadMaxRatio, int maxLineBytes, int uploads,
                        long tickMs, long leaseMs, int maxAhead, int feeds, long gateCacheMs) {

  static CampaignSettings from(ConfigReader c) {
    return new CampaignSettings(
        c.longValue("ESP_CAMPAIGN_UPLOAD_MAX_BYTES", 0, 0, Long.MAX_VALUE),
        c.longValue("ESP_CAMPAIGN_UPLOAD_MAX_INFLATED_BYTES", 8L * 1024 * 1024 * 1024, 1024, Long.MAX_VALUE),
        c.integer("ESP_CAMPAIGN_UPLOAD_MAX_RATIO", 200, 2, 100_000),
        c.integer("ESP_CAMPAIGN_MAX_LINE_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
        c.integer("ESP_CAMPAIGN_UPLOADS", 2, 1, 64),
        c.longValue("ESP_CAMPAIGN_FEEDER_TICK_MS", 250, 10, 60_000),
        c.longValue("ESP_CAMPAIGN_LEASE_MS", 10_000, 1_000, 600_000),
        c.integer("ESP_CAMPAIGN_MAX_AHEAD", 5_000, 500, 1_000_000),
        c.integer("ESP_CAMPAIGN_FEEDS", 16, 1, 1_000),
        gateCacheMs(c));
  }

  static long gateCacheMs(ConfigReader c) {
    return c.longValue("ESP_CAMPAIGN_GATE_CACHE_MS", 1_000, 0, 60_000);
  }
}
