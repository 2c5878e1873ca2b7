package dev.esprouter.webhooks;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.providers.meta.MetaWebhookVerifier;
import dev.esprouter.webhooks.WebhookMetrics.Result;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /webhooks/meta}: Meta's subscription handshake. The {@code hub.challenge} is echoed as
 * the plain-text body when {@code hub.mode=subscribe} and the verify token matches; anything else
 * is 403, as Meta expects.
 */
final class MetaChallengeEndpoint implements Handler<RoutingContext> {

  private final MetaWebhookVerifier verifier;
  private final WebhookMetrics metrics;

  MetaChallengeEndpoint(MetaWebhookVerifier verifier, WebhookMetrics metrics) {
    this.verifier = verifier;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    verifier.challenge(ctx.queryParams()).ifPresentOrElse(challenge -> {
      metrics.count(ProviderName.META, Result.ACCEPTED);
      ctx.response().putHeader("content-type", "text/plain; charset=utf-8").end(challenge);
    }, () -> {
      metrics.count(ProviderName.META, Result.FORGED);
      new ApiError(403, "forbidden", "hub.verify_token does not match").send(ctx);
    });
  }
}
