package dev.esprouter.common.config;

import dev.esprouter.common.ProviderName;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The process-wide configuration, loaded once from the environment (and {@code ESP_CONFIG}) and
 * validated before anything starts. Module-specific settings are read from {@link #reader()} by the
 * modules themselves, also at start-up. {@link #toString()} never shows a secret.
 */
public record EspConfig(
    int httpPort,
    Optional<String> adminToken,
    Set<Role> roles,
    Path dataDir,
    KafkaSettings kafka,
    DatabaseSettings database,
    ProvidersMode providersMode,
    Map<ProviderName, ProviderSettings> providers,
    SandboxSettings sandbox,
    Optional<String> bootstrapApiKey,
    int shutdownTimeoutMs,
    ConfigReader reader) {

  /** The roles one process can run; {@code all} means every one of them. */
  public enum Role {
    INGRESS, ROUTER, WEBHOOKS, ANALYTICS, SANDBOX, CAMPAIGNS;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static EspConfig load(Map<String, String> env) {
    return from(ConfigReader.load(env));
  }

  public static EspConfig from(ConfigReader c) {
    ProvidersMode mode = providersMode(c);
    SandboxSettings sandbox = SandboxSettings.from(c);
    Map<ProviderName, ProviderSettings> providers = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.values()) {
      providers.put(p, ProviderSettings.from(c, p, mode, sandbox.baseUrl()));
    }
    Set<Role> roles = roles(c, mode);
    return new EspConfig(
        c.port("ESP_HTTP_PORT", 8080),
        c.secret("ESP_ADMIN_TOKEN"),
        roles,
        Path.of(c.string("ESP_DATA_DIR", "./data")),
        KafkaSettings.from(c),
        DatabaseSettings.from(c),
        mode,
        Map.copyOf(providers),
        sandbox,
        c.secret("ESP_BOOTSTRAP_API_KEY"),
        c.integer("ESP_SHUTDOWN_TIMEOUT_MS", 15_000, 100, 600_000),
        c);
  }

  /** The same configuration talking to another Kafka cluster (the embedded broker once it is up). */
  public EspConfig withKafka(KafkaSettings kafka) {
    return new EspConfig(httpPort, adminToken, roles, dataDir, kafka, database, providersMode, providers, sandbox,
        bootstrapApiKey, shutdownTimeoutMs, reader);
  }

  public boolean runs(Role role) {
    return roles.contains(role);
  }

  public ProviderSettings provider(ProviderName p) {
    return providers.get(p);
  }

  /** {@code live} when any provider credential is set, unless {@code ESP_PROVIDERS_MODE} says otherwise. */
  private static ProvidersMode providersMode(ConfigReader c) {
    Optional<String> explicit = c.string("ESP_PROVIDERS_MODE");
    if (explicit.isPresent()) {
      return switch (explicit.get().toLowerCase(Locale.ROOT)) {
        case "live" -> ProvidersMode.LIVE;
        case "sandbox" -> ProvidersMode.SANDBOX;
        default -> throw new ConfigException("ESP_PROVIDERS_MODE=" + explicit.get() + ": must be live or sandbox");
      };
    }
    for (ProviderName p : ProviderName.values()) {
      for (String v : ProviderSettings.credentialVariables(p)) {
        if (c.isSet(v)) {
          return ProvidersMode.LIVE;
        }
      }
    }
    return ProvidersMode.SANDBOX;
  }

  /** {@code all} is every role, but the sandbox only in sandbox mode. */
  private static Set<Role> roles(ConfigReader c, ProvidersMode mode) {
    String raw = c.string("ESP_ROLES", "all");
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : raw.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      if (name.equals("all")) {
        roles.addAll(EnumSet.of(Role.INGRESS, Role.ROUTER, Role.WEBHOOKS, Role.ANALYTICS, Role.CAMPAIGNS));
        if (mode == ProvidersMode.SANDBOX) {
          roles.add(Role.SANDBOX);
        }
        continue;
      }
      Role role = Arrays.stream(Role.values()).filter(r -> r.wire().equals(name)).findFirst()
          .orElseThrow(() -> new ConfigException("ESP_ROLES=" + raw + ": unknown role '" + name
              + "' (use all or a comma list of ingress,router,webhooks,analytics,sandbox,campaigns)"));
      roles.add(role);
    }
    if (roles.isEmpty()) {
      throw new ConfigException("ESP_ROLES=" + raw + ": names no role");
    }
    return Set.copyOf(roles);
  }

  @Override
  public String toString() {
    return "EspConfig{httpPort=" + httpPort + ", adminToken=" + (adminToken.isPresent() ? "set" : "unset")
        + ", roles=" + roles + ", dataDir=" + dataDir + ", kafka=" + kafka + ", database=" + database
        + ", providersMode=" + providersMode + ", providers=" + providers.values() + ", sandbox=" + sandbox + "}";
  }
}
