package dev.esprouter.common.runtime;

import dev.esprouter.common.Topics;
import dev.esprouter.common.config.EspConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * What the app hands every role: the Vert.x instance, the validated configuration (with the Kafka
 * bootstrap the process actually uses), the shared PostgreSQL pool, topic names, the meter registry
 * behind {@code /metrics}, the HTTP route registry of the main port, and in-process services shared
 * between roles without importing each other (weights, breaker states).
 */
public record RoleContext(Vertx vertx, EspConfig config, Pool pool, Topics topics, MeterRegistry registry,
                          HttpRoutes routes, Services services) {
}
