package dev.esprouter.router;

import dev.esprouter.common.Channel;
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
 * @param sendLeaseMs         how long a recipient marked {@code sending} belongs to the process that
 *                            marked it ({@code ESP_ROUTER_SEND_LEASE_MS}, 30 s): a redelivered chunk
 *                            leaves such recipients alone until the lease ends
 * @param requestTimeoutMs    provider request timeout ({@code ESP_PROVIDER_REQUEST_TIMEOUT_MS}, 10 s)
 * @param connectTimeoutMs    provider connect timeout ({@code ESP_PROVIDER_CONNECT_TIMEOUT_MS}, 2 s)
 * @param expectedLatencyMs   provider latency used to size connection pools by Little's law
 *                            ({@code ESP_PROVIDER_EXPECTED_LATENCY_MS}, 250 ms)
 * @param breakerWindowMs     failure-rate window ({@code ESP_BREAKER_WINDOW_MS}, 10 s)
 * @param breakerFailureRate  failure share in the window that opens the breaker ({@code ESP_BREAKER_FAILURE_RATE}, 0.5)
 * @param breakerMinCalls     calls in the window before the rate counts ({@code ESP_BREAKER_MIN_CALLS}, 10)
 * @param breakerResetMs      open time before a half-open probe ({@code ESP_BREAKER_RESET_MS}, 5 s)
 * @param consumerGroup       Kafka consumer group ({@code ESP_ROUTER_GROUP}, esp-router)
 * @param highPoolSize        PostgreSQL connections of the high lane's own pool ({@code ESP_ROUTER_HIGH_POOL_SIZE}, 16):
 *                            its claim and record statements never wait for a connection behind a campaign's
 * @param priors              weights used when no weight source is registered
 *                            ({@code ESP_PRIOR_WEIGHTS_EMAIL=sendgrid:250,postmark:250,…}; default equal)
 */
public record RouterSettings(int maxAttempts, long retryBaseMs, long retryCapMs, int maxInFlight, int highReserved,
                             int partitionInFlight,
                             int queuedPerPartition, long sendLeaseMs, long requestTimeoutMs, long connectTimeoutMs,
                             long expectedLatencyMs, long breakerWindowMs, double breakerFailureRate, int breakerMinCalls,
                             long breakerResetMs, String consumerGroup, int highPoolSize,
                             Map<Channel, Weights> priors) {

  public static RouterSettings from(ConfigReader c) {
    Map<Channel, Weights> priors = new EnumMap<>(Channel.class);
    for (Channel ch : Channel.values()) {
      String name = "ESP_PRIOR_WEIGHTS_" + ch.name();
      priors.put(ch, c.string(name).map(v -> parseWeights(name, v, ch)).orElse(Weights.equal(ch)));
    }
    int maxInFlight = c.integer("ESP_ROUTER_MAX_IN_FLIGHT", 64, 2, 1024);
    return new RouterSettings(
        c.integer("ESP_RETRY_MAX_ATTEMPTS", 6, 1, 100),
        c.longValue("ESP_RETRY_BASE_MS", 1000, 1, 3_600_000),
        c.longValue("ESP_RETRY_CAP_MS", 300_000, 1, 86_400_000),
        maxInFlight,
        c.integer("ESP_ROUTER_HIGH_RESERVED_IN_FLIGHT", Math.min(8, maxInFlight / 2), 1, maxInFlight - 1),
        c.integer("ESP_ROUTER_PARTITION_IN_FLIGHT", 8, 1, 64),
        c.integer("ESP_ROUTER_QUEUED_PER_PARTITION", 2, 1, 64),
        c.longValue("ESP_ROUTER_SEND_LEASE_MS", 30_000, 100, 3_600_000),
        c.longValue("ESP_PROVIDER_REQUEST_TIMEOUT_MS", 10_000, 10, 600_000),
        c.longValue("ESP_PROVIDER_CONNECT_TIMEOUT_MS", 2_000, 10, 60_000),
        c.longValue("ESP_PROVIDER_EXPECTED_LATENCY_MS", 250, 1, 60_000),
        c.longValue("ESP_BREAKER_WINDOW_MS", 10_000, 100, 3_600_000),
        c.decimal("ESP_BREAKER_FAILURE_RATE", 0.5, 0.01, 1.0),
        c.integer("ESP_BREAKER_MIN_CALLS", 10, 1, 1_000_000),
        c.longValue("ESP_BREAKER_RESET_MS", 5_000, 10, 3_600_000),
        c.string("ESP_ROUTER_GROUP", "esp-router"),
        c.integer("ESP_ROUTER_HIGH_POOL_SIZE", 16, 1, 256),
        Map.copyOf(priors));
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
