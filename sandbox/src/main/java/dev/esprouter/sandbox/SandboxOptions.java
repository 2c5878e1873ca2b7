package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.sandbox.core.Profile;
import dev.esprouter.sandbox.core.WebhookSettings;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How to start a {@link SandboxServer}. Start from {@link #defaults()} (loopback, a free port,
 * webhooks to {@code http://127.0.0.1:8080/webhooks}, any credential of the providers' forms) and
 * change what a test needs with the {@code with...} methods, or read everything from the app's
 * configuration with {@link #from(EspConfig)}.
 *
 * @param host          interface to listen on
 * @param port          port to listen on, 0 for a free one
 * @param webhookBase   where webhooks go: {@code <webhookBase>/<provider>}
 * @param seed          seed of outcome draws and provider ids; empty for a random one
 * @param credentials   per provider, the configured credential variables (e.g. {@code SENDGRID_API_KEY});
 *                      a provider with none accepts any credential of its form
 * @param webhooks      emission limits (rate cap, queue, in-flight POSTs, retries)
 * @param instances     HTTP event loops serving the sandbox (1 in {@link #defaults()}, one a core in the app)
 * @param socketLabsMaxMessages the most {@code Messages} a SocketLabs injection request may hold
 * @param profiles      per provider, changes to its default profile at start (the JSON of
 *                      {@code PUT /sandbox/providers/{name}}); {@code POST /sandbox/reset} returns to them
 */
public record SandboxOptions(String host, int port, String webhookBase, OptionalLong seed,
                             Map<ProviderName, Map<String, String>> credentials, WebhookSettings webhooks,
                             int instances, int socketLabsMaxMessages, Map<ProviderName, JsonObject> profiles) {

  /** SocketLabs publishes no current cap on Messages per request (legacy guide: 10); see PROVIDERS.md § 3.1. */
  public static final int DEFAULT_SOCKETLABS_MAX_MESSAGES = 50;

  public SandboxOptions {
    credentials = Map.copyOf(credentials);
    profiles = Map.copyOf(profiles);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not 0-65535");
    }
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1");
    }
    if (socketLabsMaxMessages < 1) {
      throw new IllegalArgumentException("socketLabsMaxMessages must be at least 1");
    }
    webhookBase = webhookBase.endsWith("/") ? webhookBase.substring(0, webhookBase.length() - 1) : webhookBase;
  }

  public static SandboxOptions defaults() {
    return new SandboxOptions("127.0.0.1", 0, "http://127.0.0.1:8080/webhooks", OptionalLong.empty(), Map.of(),
        WebhookSettings.defaults(), 1, DEFAULT_SOCKETLABS_MAX_MESSAGES, Map.of());
  }

  /**
   * The sandbox of the app: {@code ESP_SANDBOX_HOST}/{@code _PORT}/{@code _WEBHOOK_BASE}/{@code _SEED},
   * the providers' configured credentials, and the sandbox's own tuning variables
   * ({@code ESP_SANDBOX_INSTANCES}, {@code ESP_SANDBOX_WEBHOOK_RATE}, {@code _POSTS}, {@code _QUEUE},
   * {@code _INFLIGHT}, {@code _ATTEMPTS}, {@code _RETRY_MS}, {@code ESP_SANDBOX_SOCKETLABS_MAX_MESSAGES}).
   */
  public static SandboxOptions from(EspConfig config) {
    ConfigReader c = config.reader();
    Map<ProviderName, Map<String, String>> creds = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.values()) {
      creds.put(p, config.provider(p).credentials());
    }
    WebhookSettings d = WebhookSettings.defaults();
    WebhookSettings webhooks = new WebhookSettings(
        c.integer("ESP_SANDBOX_WEBHOOK_RATE", d.ratePerSec(), 1, 10_000_000),
        c.integer("ESP_SANDBOX_WEBHOOK_POSTS", d.postsPerSec(), 1, 10_000_000),
        c.integer("ESP_SANDBOX_WEBHOOK_QUEUE", d.queuePerProvider(), 1, 10_000_000),
        c.integer("ESP_SANDBOX_WEBHOOK_INFLIGHT", d.maxInflightPerProvider(), 1, 1_000),
        c.integer("ESP_SANDBOX_WEBHOOK_ATTEMPTS", d.maxAttempts(), 1, 100),
        c.integer("ESP_SANDBOX_WEBHOOK_RETRY_MS", (int) d.retryBaseMs(), 1, 3_600_000),
        d.flushIntervalMs());
    return new SandboxOptions(config.sandbox().host(), config.sandbox().port(), config.sandbox().webhookBase(),
        config.sandbox().seed(), creds, webhooks,
        // Like the main HTTP port: one event loop a core (a single loop tops out near 45k recipients/s).
        c.integer("ESP_SANDBOX_INSTANCES", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 64),
        c.integer("ESP_SANDBOX_SOCKETLABS_MAX_MESSAGES", DEFAULT_SOCKETLABS_MAX_MESSAGES, 1, 100_000), Map.of());
  }

  public SandboxOptions withPort(int port) {
    return new SandboxOptions(host, port, webhookBase, seed, credentials, webhooks, instances, socketLabsMaxMessages,
        profiles);
  }

  public SandboxOptions withSeed(long seed) {
    return new SandboxOptions(host, port, webhookBase, OptionalLong.of(seed), credentials, webhooks, instances,
        socketLabsMaxMessages, profiles);
  }

  public SandboxOptions withWebhookBase(String base) {
    return new SandboxOptions(host, port, base, seed, credentials, webhooks, instances, socketLabsMaxMessages,
        profiles);
  }

  /** Accepts only these credentials for {@code provider}, keyed by variable (e.g. {@code POSTMARK_SERVER_TOKEN}). */
  public SandboxOptions withCredentials(ProviderName provider, Map<String, String> values) {
    Map<ProviderName, Map<String, String>> c = new EnumMap<>(ProviderName.class);
    c.putAll(credentials);
    c.put(provider, Map.copyOf(values));
    return new SandboxOptions(host, port, webhookBase, seed, c, webhooks, instances, socketLabsMaxMessages,
        profiles);
  }

  public SandboxOptions withWebhooks(WebhookSettings settings) {
    return new SandboxOptions(host, port, webhookBase, seed, credentials, settings, instances, socketLabsMaxMessages,
        profiles);
  }

  public SandboxOptions withInstances(int n) {
    return new SandboxOptions(host, port, webhookBase, seed, credentials, webhooks, n, socketLabsMaxMessages,
        profiles);
  }

  public SandboxOptions withSocketLabsMaxMessages(int n) {
    return new SandboxOptions(host, port, webhookBase, seed, credentials, webhooks, instances, n, profiles);
  }

  /**
   * Starts {@code provider} with its default profile changed by {@code patch}, the JSON of
   * {@code PUT /sandbox/providers/{name}} (e.g. {@code {"outcomes":{"blocked":0.2}}}); a second call
   * for the same provider replaces the first. A bad field fails here, naming it.
   */
  public SandboxOptions withProfile(ProviderName provider, JsonObject patch) {
    DefaultProfiles.of(provider).with(patch);
    Map<ProviderName, JsonObject> p = new EnumMap<>(ProviderName.class);
    p.putAll(profiles);
    p.put(provider, patch.copy());
    return new SandboxOptions(host, port, webhookBase, seed, credentials, webhooks, instances, socketLabsMaxMessages,
        p);
  }

  /** The profile {@code provider} starts with: its default one with this option's changes. */
  Profile profile(ProviderName provider) {
    JsonObject patch = profiles.get(provider);
    return patch == null ? DefaultProfiles.of(provider) : DefaultProfiles.of(provider).with(patch);
  }

  public Map<String, String> credentials(ProviderName p) {
    return credentials.getOrDefault(p, Map.of());
  }
}
