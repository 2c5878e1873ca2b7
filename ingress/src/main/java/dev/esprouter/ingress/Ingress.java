package dev.esprouter.ingress;

import dev.esprouter.common.http.ApiKeyAuth;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Optional;

/**
 * What the ingress routes of every event loop share: all of it is safe to use from any thread
 * (the pool, the one Kafka publisher, the auth cache, the per-tenant buckets, the meters).
 *
 * @param batchChunks whether the router's {@code batch_chunks} table exists (checked once at start)
 * @param templateChecks the template registry's accept-time checks (docs/TEMPLATES.md)
 */
record Ingress(Vertx vertx, Pool pool, IngressSettings settings, SendPublisher publisher, ApiKeyAuth auth,
               TenantRateLimiter limiter, IngressMetrics metrics, IdempotencyKeys idempotency,
               Optional<String> adminToken, boolean batchChunks, TemplateFolder templates,
               dev.esprouter.ingress.templates.TemplateChecks templateChecks) {
}
