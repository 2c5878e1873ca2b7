package dev.esprouter.ingress;

import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.status.ChunkHistory;
import dev.esprouter.common.status.MessageStatusView;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Optional;

/**
 * What the ingress routes of every event loop share: all of it is safe to use from any thread
 * (the pool, the one Kafka publisher, the auth cache, the per-tenant buckets, the meters).
 *
 * @param statuses the status writer's reads (analytics); empty when its module is not in the process,
 *                 and then every message reads as {@code queued}
 * @param chunks   the router's record of each chunk's weights; empty when the router is not in the process
 * @param templateChecks the template registry's accept-time checks (docs/TEMPLATES.md)
 */
record Ingress(Vertx vertx, Pool pool, IngressSettings settings, SendPublisher publisher, ApiKeyAuth auth,
               TenantRateLimiter limiter, IngressMetrics metrics, IdempotencyKeys idempotency,
               Optional<String> adminToken, Optional<MessageStatusView> statuses, Optional<ChunkHistory> chunks,
               TemplateFolder templates, dev.esprouter.ingress.templates.TemplateChecks templateChecks) {
}
