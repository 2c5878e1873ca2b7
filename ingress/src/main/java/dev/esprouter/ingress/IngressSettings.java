package dev.esprouter.ingress;

import dev.esprouter.common.config.ConfigReader;

/**
 * The ingress role's own settings, read and checked at start-up.
 *
 * @param defaultRatePerSec  {@code ESP_TENANT_RATE_LIMIT_PER_SEC}: requests per second of a tenant without its own rate
 * @param maxBodyBytes       {@code ESP_MAX_BODY_BYTES}: largest request body (a batch); 413 above
 * @param maxMessageBytes    {@code ESP_MAX_MESSAGE_BYTES}: largest body of a single message; 413 above
 * @param maxChunkBytes      {@code ESP_INGRESS_MAX_CHUNK_BYTES}: largest Kafka record a batch chunk may become
 * @param txProducers        {@code ESP_INGRESS_TX_PRODUCERS}: batches written to Kafka in parallel
 * @param maxBatchesInFlight {@code ESP_INGRESS_MAX_BATCHES_IN_FLIGHT}: batches waiting for Kafka before 503
 * @param maxBytesInFlight   {@code ESP_INGRESS_MAX_BYTES_IN_FLIGHT}: single-record bytes waiting for Kafka before 503
 * @param kafkaTimeoutMs     {@code ESP_INGRESS_KAFKA_TIMEOUT_MS}: how long a request waits for Kafka before 503
 * @param batchWriters       {@code ESP_INGRESS_BATCH_WRITERS}: PostgreSQL connections that write one batch's rows at once
 * @param coalesceInFlight   {@code ESP_INGRESS_COALESCE_IN_FLIGHT}: statements of single messages each event loop runs at once
 * @param coalesceLingerMs   {@code ESP_INGRESS_COALESCE_LINGER_MS}: how long a single message's statement waits for others
 * @param templatesDir       {@code ESP_TEMPLATES_DIR}: the email templates (jte files) named by {@code template}
 */
record IngressSettings(int defaultRatePerSec, int maxBodyBytes, int maxMessageBytes, int maxChunkBytes,
                       int txProducers, int maxBatchesInFlight, long maxBytesInFlight, long kafkaTimeoutMs,
                       int batchWriters, int coalesceInFlight, long coalesceLingerMs,
                       java.nio.file.Path templatesDir) {

  static IngressSettings from(ConfigReader c) {
    return new IngressSettings(
        c.integer("ESP_TENANT_RATE_LIMIT_PER_SEC", 1000, 1, 10_000_000),
        c.integer("ESP_MAX_BODY_BYTES", 10 * 1024 * 1024, 1024, 256 * 1024 * 1024),
        c.integer("ESP_MAX_MESSAGE_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
        c.integer("ESP_INGRESS_MAX_CHUNK_BYTES", 900_000, 16_384, 16 * 1024 * 1024),
        c.integer("ESP_INGRESS_TX_PRODUCERS", 2, 1, 32),
        c.integer("ESP_INGRESS_MAX_BATCHES_IN_FLIGHT", 64, 1, 10_000),
        c.longValue("ESP_INGRESS_MAX_BYTES_IN_FLIGHT", 32L * 1024 * 1024, 1024 * 1024, 1024L * 1024 * 1024),
        c.longValue("ESP_INGRESS_KAFKA_TIMEOUT_MS", 4000, 500, 120_000),
        c.integer("ESP_INGRESS_BATCH_WRITERS", 2, 1, 8),
        c.integer("ESP_INGRESS_COALESCE_IN_FLIGHT", 1, 1, 16),
        c.longValue("ESP_INGRESS_COALESCE_LINGER_MS", 1, 0, 50),
        java.nio.file.Path.of(c.string("ESP_TEMPLATES_DIR", "./templates")));
  }
}
