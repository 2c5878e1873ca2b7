package dev.esprouter.router;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ConfigException;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.routing.Weights;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The router's own settings, read and validated at start-up.
 *
 * @param maxAttempts         deliveries tried before a recipient is dead ({@code ESP_RETRY_MAX_ATTEMPTS}, 6)
 * @param retryBaseMs         backoff base ({@code ESP_RETRY_BASE_MS}, 1 s), doubled per attempt, full jitter
 * @param retryCapMs          backoff cap ({@code ESP_RETRY_CAP_MS}, 5 min)
 * @param maxInFlight         chunks being routed at once by this process ({@code ESP_ROUTER_MAX_IN_FLIGHT}, 64)
 * @param highReserved       of {@code maxInFlight}, slots only the high lane may take
 *                            ({@code ESP_ROUTER_HIGH_RESERVED_IN_FLIGHT}, 8): however much low and normal
 *                            work is fetched, a transactional message never waits for a slot
 * @param partitionInFlight   chunks of one partition routed at once ({@code ESP_ROUTER_PARTITION_IN_FLIGHT}, 8);
 *                            a big batch lives on one partition, so this is its parallelism
 * @param queuedPerPartition  fetched chunks held per partition before it is paused ({@code ESP_ROUTER_QUEUED_PER_PARTITION}, 2)
 * @param requestTimeoutMs    provider request timeout, the whole answer ({@code ESP_PROVIDER_REQUEST_TIMEOUT_MS}, 10 s)
 * @param firstByteTimeoutMs  no byte of an answer for this long fails the call ({@code ESP_PROVIDER_FIRST_BYTE_TIMEOUT_MS},
 *                            3 s): a hung provider costs this once, then its breaker opens
 * @param providerMaxInFlight calls in flight to one provider before further shares go elsewhere at once
 *                            ({@code ESP_PROVIDER_MAX_IN_FLIGHT}, 0 = twice its connection pool), so hung calls
 *                            cannot take every slot
 * @param limiterWaitMs       the longest a call waits at a provider's rate limiter before its recipients fail over,
 *                            per lane ({@code ESP_LIMITER_WAIT_MS_HIGH} 200, {@code _NORMAL} 2000, {@code _LOW} 5000)
 * @param limiterMaxWaiters   calls waiting at one limiter before more fail over at once ({@code ESP_LIMITER_MAX_WAITERS}, 1000)
 * @param connectTimeoutMs    provider connect timeout ({@code ESP_PROVIDER_CONNECT_TIMEOUT_MS}, 2 s)
 * @param expectedLatencyMs   provider latency used to size connection pools by Little's law
 *                            ({@code ESP_PROVIDER_EXPECTED_LATENCY_MS}, 250 ms)
 * @param breakerWindowMs     failure-rate window ({@code ESP_BREAKER_WINDOW_MS}, 10 s)
 * @param breakerFailureRate  failure share in the window that opens the breaker ({@code ESP_BREAKER_FAILURE_RATE}, 0.5)
 * @param breakerMinCalls     calls in the window before the rate counts ({@code ESP_BREAKER_MIN_CALLS}, 10)
 * @param breakerResetMs      open time before a half-open probe ({@code ESP_BREAKER_RESET_MS}, 5 s)
 * @param breakerConsecutiveFailures failed calls in a row that open the breaker whatever the window says
 *                            ({@code ESP_BREAKER_CONSECUTIVE_FAILURES}, 5)
 * @param consumerGroup       Kafka consumer group ({@code ESP_ROUTER_GROUP}, esp-router)
 * @param instanceId          this router process's name in the ledger ({@code ESP_ROUTER_INSTANCE_ID}, host and HTTP
 *                            port): a restart with the same name knows its previous run's open calls are dead
 * @param sessionTimeoutMs    Kafka session timeout of the router's consumer ({@code ESP_ROUTER_SESSION_TIMEOUT_MS}, 6 s):
 *                            how soon another process takes over the partitions of one that died
 * @param heartbeatMs         how often this process says it is alive in the ledger ({@code ESP_ROUTER_HEARTBEAT_MS}, 1 s)
 * @param deadAfterMs         silence after which a process counts as dead and its open calls as in doubt
 *                            ({@code ESP_ROUTER_DEAD_AFTER_MS}, 5 s)
 * @param drainMs             how long SIGTERM waits for calls in flight ({@code ESP_ROUTER_DRAIN_MS}, the request
 *                            timeout plus 1 s, within {@code ESP_SHUTDOWN_TIMEOUT_MS} less 2 s): every call gets its
 *                            full timeout, and its outcome is written
 * @param poisonAttempts      failures of one chunk for a data error (not an outage) before it is dead-lettered and
 *                            the partition moves on ({@code ESP_ROUTER_POISON_ATTEMPTS}, 3)
 * @param ledgerRetentionHours how long the ledger keeps chunks and calls ({@code ESP_LEDGER_RETENTION_HOURS}, 168)
 * @param priors              weights used when no weight source is registered
 *                            ({@code ESP_PRIOR_WEIGHTS_EMAIL=sendgrid:250,postmark:250,…}; default equal)
 */
public record RouterSettings(int maxAttempts, long retryBaseMs, long retryCapMs, int maxInFlight, int highReserved,
                             int partitionInFlight,
                             int queuedPerPartition, long requestTimeoutMs, long firstByteTimeoutMs,
                             int providerMaxInFlight, Map<Priority, Long> limiterWaitMs, int limiterMaxWaiters,
                             long connectTimeoutMs,
                             long expectedLatencyMs, long breakerWindowMs, double breakerFailureRate, int breakerMinCalls,
                             long breakerResetMs, int breakerConsecutiveFailures, String consumerGroup,
                             String instanceId, long sessionTimeoutMs, long heartbeatMs, long deadAfterMs, long drainMs,
                             int poisonAttempts, int ledgerRetentionHours, Map<Channel, Weights> priors) {

  public static RouterSettings from(ConfigReader c) {
    Map<Channel, Weights> priors = new EnumMap<>(Channel.class);
    for (Channel ch : Channel.values()) {
      String name = "ESP_PRIOR_WEIGHTS_" + ch.name();
      priors.put(ch, c.string(name).map(v -> parseWeights(name, v, ch)).orElse(Weights.equal(ch)));
    }
    int maxInFlight = c.integer("ESP_ROUTER_MAX_IN_FLIGHT", 64, 2, 1024);
    long requestTimeout = c.longValue("ESP_PROVIDER_REQUEST_TIMEOUT_MS", 10_000, 10, 600_000);
    Map<Priority, Long> limiterWait = new EnumMap<>(Priority.class);
    limiterWait.put(Priority.HIGH, c.longValue("ESP_LIMITER_WAIT_MS_HIGH", 200, 0, 600_000));
    limiterWait.put(Priority.NORMAL, c.longValue("ESP_LIMITER_WAIT_MS_NORMAL", 2_000, 0, 600_000));
    limiterWait.put(Priority.LOW, c.longValue("ESP_LIMITER_WAIT_MS_LOW", 5_000, 0, 600_000));
    return new RouterSettings(
        c.integer("ESP_RETRY_MAX_ATTEMPTS", 6, 1, 100),
        c.longValue("ESP_RETRY_BASE_MS", 1000, 1, 3_600_000),
        c.longValue("ESP_RETRY_CAP_MS", 300_000, 1, 86_400_000),
        maxInFlight,
        c.integer("ESP_ROUTER_HIGH_RESERVED_IN_FLIGHT", Math.min(8, maxInFlight / 2), 1, maxInFlight - 1),
        c.integer("ESP_ROUTER_PARTITION_IN_FLIGHT", 8, 1, 64),
        c.integer("ESP_ROUTER_QUEUED_PER_PARTITION", 2, 1, 64),
        requestTimeout,
        c.longValue("ESP_PROVIDER_FIRST_BYTE_TIMEOUT_MS", Math.min(3_000, requestTimeout), 10, 600_000),
        c.integer("ESP_PROVIDER_MAX_IN_FLIGHT", 0, 0, 100_000),
        Map.copyOf(limiterWait),
        c.integer("ESP_LIMITER_MAX_WAITERS", 1000, 1, 1_000_000),
        c.longValue("ESP_PROVIDER_CONNECT_TIMEOUT_MS", 2_000, 10, 60_000),
        c.longValue("ESP_PROVIDER_EXPECTED_LATENCY_MS", 250, 1, 60_000),
        c.longValue("ESP_BREAKER_WINDOW_MS", 10_000, 100, 3_600_000),
        c.decimal("ESP_BREAKER_FAILURE_RATE", 0.5, 0.01, 1.0),
        c.integer("ESP_BREAKER_MIN_CALLS", 10, 1, 1_000_000),
        c.longValue("ESP_BREAKER_RESET_MS", 5_000, 10, 3_600_000),
        c.integer("ESP_BREAKER_CONSECUTIVE_FAILURES", 5, 1, 1_000_000),
        c.string("ESP_ROUTER_GROUP", "esp-router"),
        c.string("ESP_ROUTER_INSTANCE_ID", defaultInstanceId(c)),
        c.longValue("ESP_ROUTER_SESSION_TIMEOUT_MS", 6_000, 1_000, 600_000),
        c.longValue("ESP_ROUTER_HEARTBEAT_MS", 1_000, 50, 60_000),
        c.longValue("ESP_ROUTER_DEAD_AFTER_MS", 5_000, 200, 600_000),
        // Within the process's whole shutdown budget, leaving it time to commit and close.
        c.longValue("ESP_ROUTER_DRAIN_MS", Math.max(0, Math.min(requestTimeout + 1_000,
            c.integer("ESP_SHUTDOWN_TIMEOUT_MS", 15_000, 100, 600_000) - 2_000)), 0, 3_600_000),
        c.integer("ESP_ROUTER_POISON_ATTEMPTS", 3, 1, 100),
        c.integer("ESP_LEDGER_RETENTION_HOURS", 168, 1, 24 * 365),
        Map.copyOf(priors));
  }

  /** The host name and HTTP port: stable across restarts of the same process, distinct between processes of a host. */
  private static String defaultInstanceId(ConfigReader c) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return host + ":" + c.string("ESP_HTTP_PORT", "8080");
  }

  /** The longest a call of this lane waits at a rate limiter, in nanoseconds. */
  public long limiterWaitNanos(Priority lane) {
    return limiterWaitMs.get(lane) * 1_000_000L;
  }

  /** {@code sendgrid:250,postmark:250,…}: non-negative scores of the channel's providers, normalized to 1000. */
  static Weights parseWeights(String variable, String value, Channel channel) {
    Map<ProviderName, Double> scores = new EnumMap<>(ProviderName.class);
    for (String part : value.split(",")) {
      String[] kv = part.trim().split(":");
      ProviderName p = kv.length == 2 ? ProviderName.fromWire(kv[0].trim().toLowerCase(Locale.ROOT)) : null;
      if (p == null || p.channel() != channel) {
        throw new ConfigException(variable + "=" + value + ": '" + part.trim() + "' is not <" + channel.wire()
            + " provider>:<weight>");
      }
      try {
        double w = Double.parseDouble(kv[1].trim());
        if (!(w >= 0) || Double.isInfinite(w)) {
          throw new NumberFormatException();
        }
        scores.put(p, w);
      } catch (NumberFormatException e) {
        throw new ConfigException(variable + "=" + value + ": weight of " + p.wire() + " is not a non-negative number");
      }
    }
    Weights w = Weights.normalize(channel, scores);
    if (w.isEmpty()) {
      throw new ConfigException(variable + "=" + value + ": every weight is zero");
    }
    return w;
  }

  /** Full-jitter exponential backoff before attempt {@code attempt + 1}: uniform in [0, min(cap, base·2^attempt)]. */
  public long backoffMs(int attempt, double random) {
    double ceiling = Math.min(retryCapMs, retryBaseMs * Math.pow(2, Math.min(attempt, 40)));
    return (long) Math.floor(ceiling * random);
  }
}
