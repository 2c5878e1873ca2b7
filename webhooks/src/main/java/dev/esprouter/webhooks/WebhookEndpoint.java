package dev.esprouter.webhooks;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.input.StrictInput;
import dev.esprouter.common.http.Responses;
import dev.esprouter.providers.webhook.MalformedWebhookException;
import dev.esprouter.providers.webhook.Verdict;
import dev.esprouter.providers.webhook.WebhookParser;
import dev.esprouter.providers.webhook.WebhookRequest;
import dev.esprouter.providers.webhook.WebhookVerifier;
import dev.esprouter.webhooks.WebhookMetrics.Result;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/<provider>}: read the raw body (bounded), verify it the provider's way,
 * check once that it parses (so a broken body gets its 400 now rather than poisoning the analytics
 * consumer later), write it raw to Kafka and answer 200 only after the acknowledgement. Forged → 401
 * and nothing recorded; unparseable → 400 and nothing recorded; Kafka down → 503 with Retry-After,
 * which every provider retries.
 */
final class WebhookEndpoint implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);
  static final int RETRY_AFTER_SECONDS = 5;

  private final ProviderName provider;
  private final WebhookVerifier verifier;
  private final WebhookParser parser;
  private final long bodyLimit;
  private final WebhookPublisher publisher;
  private final WebhookMetrics metrics;

  WebhookEndpoint(WebhookVerifier verifier, WebhookParser parser, long bodyLimit, WebhookPublisher publisher,
                  WebhookMetrics metrics) {
    this.provider = verifier.provider();
    this.verifier = verifier;
    this.parser = parser;
    this.bodyLimit = bodyLimit;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Instant receivedAt = Instant.now();
    BoundedBody.read(ctx.request(), bodyLimit)
        .onSuccess(body -> accept(ctx, body, receivedAt))
        .onFailure(err -> {
          if (err instanceof BoundedBody.TooLarge) {
            metrics.count(provider, Result.TOO_LARGE);
            ctx.response().putHeader("Connection", "close");
            new ApiError(413, "payload_too_large", err.getMessage()).send(ctx);
          } else {
            ctx.fail(err);
          }
        });
  }

  private void accept(RoutingContext ctx, Buffer body, Instant receivedAt) {
    Verdict verdict;
    try {
      verdict = verifier.verify(new WebhookRequest(ctx.request().headers(), body, receivedAt));
      if (verdict.accepted()) {
        parser.parse(body);
      }
    } catch (MalformedWebhookException e) {
      metrics.count(provider, Result.MALFORMED);
      ApiError.badRequest("malformed_webhook", provider.wire() + " webhook: " + e.getMessage(), null).send(ctx);
      return;
    } catch (RuntimeException e) {
      // A parser bug must still get an answer (500, logged by the error handler), never a hanging request.
      ctx.fail(500, e);
      return;
    }
    if (!verdict.accepted()) {
      metrics.count(provider, Result.FORGED);
      log.debug("refused {} webhook from {}: {}", provider.wire(), ctx.request().remoteAddress(), verdict.reason());
      ApiError.unauthorized("webhook signature does not verify").send(ctx);
      return;
    }
    // Stored downstream as text and jsonb: a body PostgreSQL would refuse is refused here, not accepted and lost.
    ApiError unstorable = StrictInput.bodyProblem(body);
    if (unstorable != null) {
      metrics.count(provider, Result.MALFORMED);
      unstorable.send(ctx);
      return;
    }
    publisher.publish(provider, body, receivedAt).onComplete(ar -> {
      if (ar.succeeded()) {
        metrics.count(provider, Result.ACCEPTED);
        String answer = verdict.responseBody();
        ctx.response().setStatusCode(200);
        if (answer == null) {
          ctx.response().end();
        } else {
          ctx.response().putHeader("content-type", "text/plain; charset=utf-8").end(answer);
        }
      } else if (ar.cause() instanceof RecordTooLargeException) {
        metrics.count(provider, Result.TOO_LARGE);
        new ApiError(413, "payload_too_large", "webhook body is larger than a Kafka record may be").send(ctx);
      } else {
        metrics.count(provider, Result.UNAVAILABLE);
        log.warn("{} webhook not stored, answering 503: {}", provider.wire(), ar.cause().toString());
        Responses.unavailable(ctx, RETRY_AFTER_SECONDS, "webhook could not be stored, retry later");
      }
    });
  }
}
