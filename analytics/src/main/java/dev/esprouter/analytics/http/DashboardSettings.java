package dev.esprouter.analytics.http;

import dev.esprouter.common.config.ConfigReader;
import java.time.Duration;

/**
 * The dashboard's sign-in settings.
 *
 * @param idle         a session unused this long ends ({@code ESP_DASHBOARD_SESSION_IDLE_MINUTES})
 * @param maxAge       a session ends this long after sign-in whatever its use ({@code ESP_DASHBOARD_SESSION_MAX_HOURS})
 * @param secureCookie mark the cookie {@code Secure}: set it when the dashboard is reached over HTTPS
 *                     (a TLS-terminating proxy) ({@code ESP_DASHBOARD_COOKIE_SECURE})
 * @param sampleSeconds how often this process's throughput, latency, lag and weights are sampled for the
 *                     dashboard; 180 samples are kept ({@code ESP_DASHBOARD_SAMPLE_SECONDS})
 */
public record DashboardSettings(Duration idle, Duration maxAge, boolean secureCookie, int sampleSeconds) {

  public static DashboardSettings from(ConfigReader c) {
    return new DashboardSettings(
        Duration.ofMinutes(c.integer("ESP_DASHBOARD_SESSION_IDLE_MINUTES", 30, 1, 24 * 60)),
        Duration.ofHours(c.integer("ESP_DASHBOARD_SESSION_MAX_HOURS", 12, 1, 30 * 24)),
        c.bool("ESP_DASHBOARD_COOKIE_SECURE", false),
        c.integer("ESP_DASHBOARD_SAMPLE_SECONDS", 10, 1, 60));
  }
}
