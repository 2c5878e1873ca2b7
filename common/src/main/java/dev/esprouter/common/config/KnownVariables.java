package dev.esprouter.common.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every {@code ESP_*} variable the process reads, so a typo ({@code ESP_HTTP_PROT}) is reported at
 * start-up with the closest known name instead of being silently ignored. Kept equal to the names
 * documented in README.md and docs/CONFIGURATION.md by {@code KnownVariablesTest}: a new variable goes
 * in both places or the build fails.
 */
public final class KnownVariables {

  public static final Set<String> NAMES = Set.of(
      "ESP_ADMIN_TOKEN", "ESP_BOOTSTRAP_API_KEY", "ESP_CONFIG", "ESP_DATA_DIR", "ESP_DB_POOL_SIZE",
      "ESP_EMBEDDED_KAFKA_PORT", "ESP_HTTP_INSTANCES", "ESP_HTTP_PORT", "ESP_KAFKA_PARTITIONS",
      "ESP_KAFKA_REPLICATION_FACTOR", "ESP_KAFKA_TOPIC_PREFIX", "ESP_KAFKA_WAIT_MS", "ESP_LOG_LEVEL",
      "ESP_PROVIDERS_MODE", "ESP_ROLES", "ESP_SHUTDOWN_TIMEOUT_MS", "ESP_TEMPLATES_DIR",
      // the command line (a client of a running router)
      "ESP_URL", "ESP_API_KEY",
      // ingress
      "ESP_TENANT_RATE_LIMIT_PER_SEC", "ESP_MAX_BODY_BYTES", "ESP_MAX_MESSAGE_BYTES", "ESP_INGRESS_MAX_CHUNK_BYTES",
      "ESP_INGRESS_TX_PRODUCERS", "ESP_INGRESS_MAX_BATCHES_IN_FLIGHT", "ESP_INGRESS_MAX_BYTES_IN_FLIGHT",
      "ESP_INGRESS_KAFKA_TIMEOUT_MS", "ESP_INGRESS_BATCH_WRITERS", "ESP_INGRESS_COALESCE_IN_FLIGHT",
      "ESP_INGRESS_COALESCE_LINGER_MS",
      // templates
      "ESP_TEMPLATES_SYNC_MS", "ESP_TEMPLATES_CACHE_MS", "ESP_TEMPLATES_GROUP_ID", "ESP_TEMPLATES_IMPORT_TENANT",
      // campaigns
      "ESP_CAMPAIGN_FEEDER_TICK_MS", "ESP_CAMPAIGN_FEEDS", "ESP_CAMPAIGN_GATE_CACHE_MS", "ESP_CAMPAIGN_LEASE_MS",
      "ESP_CAMPAIGN_MAX_AHEAD", "ESP_CAMPAIGN_MAX_LINE_BYTES", "ESP_CAMPAIGN_UPLOADS",
      "ESP_CAMPAIGN_UPLOAD_MAX_BYTES", "ESP_CAMPAIGN_UPLOAD_MAX_INFLATED_BYTES", "ESP_CAMPAIGN_UPLOAD_MAX_RATIO",
      // routing that learns (analytics)
      "ESP_ROUTING_COMPLAINT_MAX_BACKOFF_MS", "ESP_ROUTING_GATE_BACKOFF_MS", "ESP_ROUTING_GATE_MAX_BACKOFF_MS",
      "ESP_ROUTING_MAX_BLOCK_RATE", "ESP_ROUTING_MAX_COMPLAINT_RATE", "ESP_ROUTING_MAX_DEFERRAL_RATE",
      "ESP_ROUTING_PROBE_MIN_SENDS", "ESP_ROUTING_PROBE_SHARE", "ESP_WEIGHTS_CHANGE_Z",
      "ESP_WEIGHTS_FAST_HALF_LIFE_SECONDS", "ESP_WEIGHTS_MAX_EVIDENCE", "ESP_WEIGHTS_MAX_RISE_POINTS",
      "ESP_WEIGHTS_OPEN_HALF_LIFE_MINUTES", "ESP_WEIGHTS_SLOW_HALF_LIFE_MINUTES",
      "ESP_WEIGHTS_HISTORY_SAMPLE_SECONDS", "ESP_WEIGHTS_HISTORY_HOURS", "ESP_WEIGHTS_HISTORY_CHANGE_POINTS",
      // router
      "ESP_ROUTER_GROUP", "ESP_ROUTER_MAX_IN_FLIGHT", "ESP_ROUTER_HIGH_RESERVED_IN_FLIGHT",
      "ESP_ROUTER_PARTITION_IN_FLIGHT", "ESP_ROUTER_QUEUED_PER_PARTITION", "ESP_ROUTER_INSTANCE_ID",
      "ESP_ROUTER_SESSION_TIMEOUT_MS", "ESP_ROUTER_HEARTBEAT_MS", "ESP_ROUTER_DEAD_AFTER_MS", "ESP_ROUTER_DRAIN_MS",
      "ESP_ROUTER_POISON_ATTEMPTS", "ESP_LEDGER_RETENTION_HOURS", "ESP_ROUTING_WEIGHTS", "ESP_PRIOR_WEIGHTS_EMAIL",
      "ESP_PRIOR_WEIGHTS_WHATSAPP", "ESP_PRIOR_WEIGHTS_TELEGRAM", "ESP_LIMITER_WAIT_MS_HIGH",
      "ESP_LIMITER_WAIT_MS_NORMAL", "ESP_LIMITER_WAIT_MS_LOW", "ESP_LIMITER_MAX_WAITERS", "ESP_PROVIDER_MAX_IN_FLIGHT",
      "ESP_PROVIDER_FIRST_BYTE_TIMEOUT_MS", "ESP_BREAKER_CONSECUTIVE_FAILURES", "ESP_RETRY_BASE_MS",
      "ESP_RETRY_CAP_MS", "ESP_RETRY_MAX_ATTEMPTS", "ESP_BREAKER_FAILURE_RATE", "ESP_BREAKER_MIN_CALLS",
      "ESP_BREAKER_WINDOW_MS", "ESP_BREAKER_RESET_MS", "ESP_PROVIDER_CONNECT_TIMEOUT_MS",
      "ESP_PROVIDER_REQUEST_TIMEOUT_MS", "ESP_PROVIDER_EXPECTED_LATENCY_MS", "ESP_DLQ_DEPTH_BOUND",
      "ESP_DLQ_DEPTH_REFRESH_MS",
      // webhooks and analytics
      "ESP_WEBHOOK_MAX_WAITING_BYTES", "ESP_ANALYTICS_GROUP_ID", "ESP_ANALYTICS_WRITERS",
      "ESP_ANALYTICS_FIRST_RECHECK_MS", "ESP_ANALYTICS_RECHECK_ATTEMPTS", "ESP_ANALYTICS_RECHECK_EVERY_MS",
      "ESP_WEIGHTS_BLEND_STRENGTH", "ESP_WEIGHTS_EXPLORATION_FLOOR", "ESP_WEIGHTS_FRESH_HORIZON_MINUTES",
      "ESP_WEIGHTS_REFRESH_MS", "ESP_WEIGHTS_WINDOW_DAYS", "ESP_WEIGHTS_WINDOW_REFRESH_MS",
      "ESP_DASHBOARD_COOKIE_SECURE", "ESP_DASHBOARD_SAMPLE_SECONDS", "ESP_DASHBOARD_SESSION_IDLE_MINUTES",
      "ESP_DASHBOARD_SESSION_MAX_HOURS",
      // sandbox
      "ESP_SANDBOX_HOST", "ESP_SANDBOX_PORT", "ESP_SANDBOX_SEED", "ESP_SANDBOX_WEBHOOK_BASE", "ESP_SANDBOX_INSTANCES",
      "ESP_SANDBOX_WEBHOOK_RATE", "ESP_SANDBOX_WEBHOOK_POSTS", "ESP_SANDBOX_WEBHOOK_QUEUE",
      "ESP_SANDBOX_WEBHOOK_INFLIGHT", "ESP_SANDBOX_WEBHOOK_ATTEMPTS", "ESP_SANDBOX_WEBHOOK_RETRY_MS",
      "ESP_SANDBOX_SOCKETLABS_MAX_MESSAGES");

  private KnownVariables() {
  }

  /**
   * One warning line per {@code ESP_*} name among {@code names} that no module reads, naming the
   * closest known variable when one is near, in name order.
   */
  public static List<String> warnings(Collection<String> names) {
    Set<String> unknown = new TreeSet<>();
    for (String n : names) {
      if (n.startsWith("ESP_") && !NAMES.contains(n)) {
        unknown.add(n);
      }
    }
    return unknown.stream().map(n -> n + " is not a variable esp-router reads" + closest(n)
        .map(c -> " (did you mean " + c + "?)").orElse("") + "; it is ignored").toList();
  }

  /** The known name fewest edits away (a swap of two neighbours is one edit), if it is near. */
  public static Optional<String> closest(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String upper = name.toUpperCase(Locale.ROOT);
    for (String k : new TreeSet<>(NAMES)) {
      int d = distance(upper, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    // Near: a few edits, and fewer than a third of the name (so ESP_FOO does not "mean" ESP_ROLES).
    return bestDistance <= Math.max(2, name.length() / 3) ? Optional.of(best) : Optional.empty();
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
