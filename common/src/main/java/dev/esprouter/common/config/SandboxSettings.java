package dev.esprouter.common.config;

import java.util.OptionalLong;

/**
 * The local provider stand-in: its port, where it posts webhooks, and the seed of its outcome draws.
 * {@link #baseUrl()} is what provider clients use as their base in sandbox mode.
 */
public record SandboxSettings(String host, int port, String webhookBase, OptionalLong seed) {

  public static SandboxSettings from(ConfigReader c) {
    int httpPort = c.port("ESP_HTTP_PORT", 8080);
    long seed = c.longValue("ESP_SANDBOX_SEED", Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
    return new SandboxSettings(
        c.string("ESP_SANDBOX_HOST", "127.0.0.1"),
        c.port("ESP_SANDBOX_PORT", 8089),
        c.url("ESP_SANDBOX_WEBHOOK_BASE", "http://127.0.0.1:" + httpPort + "/webhooks"),
        seed == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(seed));
  }

  public String baseUrl() {
    return "http://" + host + ":" + port;
  }
}
