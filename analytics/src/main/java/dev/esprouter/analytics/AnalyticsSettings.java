package dev.esprouter.analytics;

import dev.esprouter.common.config.ConfigReader;

/**
 * The analytics role's own settings.
 *
 * @param groupId          the consumer group of the webhook topics ({@code ESP_ANALYTICS_GROUP_ID})
 * @param recheckEveryMs   how often kept-aside events are looked at ({@code ESP_ANALYTICS_RECHECK_EVERY_MS})
 * @param firstRecheckMs   the first re-check delay, doubled each attempt ({@code ESP_ANALYTICS_FIRST_RECHECK_MS})
 * @param recheckAttempts  re-checks before an event is left aside for good ({@code ESP_ANALYTICS_RECHECK_ATTEMPTS})
 * @param writers          polls written to PostgreSQL at once, each in its own transaction on its own
 *                         connection ({@code ESP_ANALYTICS_WRITERS}; one backend's CPU is the limit of one)
 */
public record AnalyticsSettings(String groupId, long recheckEveryMs, long firstRecheckMs, int recheckAttempts,
                                int writers) {

  public static AnalyticsSettings from(ConfigReader c) {
    return new AnalyticsSettings(
        c.string("ESP_ANALYTICS_GROUP_ID", "esp-analytics"),
        c.longValue("ESP_ANALYTICS_RECHECK_EVERY_MS", 1000, 10, 600_000),
        c.longValue("ESP_ANALYTICS_FIRST_RECHECK_MS", 2000, 10, 3_600_000),
        c.integer("ESP_ANALYTICS_RECHECK_ATTEMPTS", 10, 1, 100),
        c.integer("ESP_ANALYTICS_WRITERS", 1, 1, 16));
  }
}
