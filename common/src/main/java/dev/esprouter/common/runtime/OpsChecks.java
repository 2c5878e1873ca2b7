package dev.esprouter.common.runtime;

import dev.esprouter.common.KafkaMetrics;
import dev.esprouter.common.KafkaTopics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import dev.esprouter.common.config.EspConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.AdminClient;

/**
 * The operations endpoints: {@code /health/live}, {@code /health/ready} (ready only while Kafka and
 * PostgreSQL answer; each answer is cached for a second so probes cannot load either) and
 * {@code /metrics} in Prometheus text.
 */
final class OpsChecks {

  private static final long CACHE_MS = 1000;

  private final Vertx vertx;
  private final Pool pool;
  private final PrometheusMeterRegistry registry;
  private final AdminClient admin;
  private final KafkaClientMetrics adminMetrics;
  private final AtomicReference<Cached> last = new AtomicReference<>(new Cached(0, false, false));

  private record Cached(long at, boolean kafka, boolean postgres) {
  }

  OpsChecks(Vertx vertx, EspConfig config, Pool pool, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.registry = registry;
    this.admin = AdminClient.create(KafkaTopics.adminProps(config.kafka()));
    this.adminMetrics = KafkaMetrics.bind(registry, admin, "health");
  }

  void mount(Router router) {
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "up")));
    router.get("/health/ready").handler(this::ready);
    if (registry != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    }
  }

  private void ready(RoutingContext ctx) {
    check().onComplete(ar -> {
      Cached c = ar.succeeded() ? ar.result() : new Cached(0, false, false);
      boolean up = c.kafka && c.postgres;
      JsonObject body = new JsonObject()
          .put("status", up ? "ready" : "not_ready")
          .put("kafka", c.kafka ? "up" : "down")
          .put("postgres", c.postgres ? "up" : "down");
      if (!up) {
        ctx.response().putHeader("Retry-After", "2");
      }
      ctx.response().setStatusCode(up ? 200 : 503).putHeader("content-type", "application/json").end(body.encode());
    });
  }

  /** Kafka and PostgreSQL in parallel, each bounded to 2 s. */
  Future<Cached> check() {
    Cached c = last.get();
    long now = System.currentTimeMillis();
    if (now - c.at < CACHE_MS) {
      return Future.succeededFuture(c);
    }
    Future<Boolean> pg = pool.query("select 1").execute().map(r -> true)
        .timeout(2, TimeUnit.SECONDS).otherwise(false);
    Promise<Boolean> kafka = Promise.promise();
    admin.describeCluster().nodes().whenComplete((nodes, err) -> kafka.tryComplete(err == null && !nodes.isEmpty()));
    Future<Boolean> k = kafka.future().timeout(2, TimeUnit.SECONDS).otherwise(false);
    return Future.all(pg, k).map(v -> {
      Cached fresh = new Cached(System.currentTimeMillis(), k.result(), pg.result());
      last.set(fresh);
      return fresh;
    });
  }

  Future<Void> close() {
    return vertx.executeBlocking(() -> {
      adminMetrics.close();
      admin.close(java.time.Duration.ofSeconds(2));
      return null;
    });
  }
}
