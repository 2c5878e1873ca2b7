package dev.esprouter.sandbox.meta;

import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.sandbox.core.WebhookAuth;
import dev.esprouter.sandbox.core.WebhookSettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts Meta's {@code message_template_status_update} webhook to {@code <webhook base>/meta}:
 * {@code {"object":"whatsapp_business_account","entry":[{"id":<waba>,"time":…,"changes":[{"value":
 * {event, message_template_id, message_template_name, message_template_language, reason,
 * message_template_category, …},"field":"message_template_status_update"}]}]}}, signed like the
 * status webhooks ({@code X-Hub-Signature-256}), retried with the sandbox's webhook backoff.
 */
final class TemplateWebhooks {

  private static final Logger log = LoggerFactory.getLogger(TemplateWebhooks.class);

  private final String uri;
  private final WebhookSettings settings;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile HttpClient client;

  TemplateWebhooks(String webhookBase, WebhookSettings settings) {
    this.uri = webhookBase + "/meta";
    this.settings = settings;
  }

  static Buffer body(String wabaId, JsonObject value) {
    return new JsonObject()
        .put("entry", new JsonArray().add(new JsonObject()
            .put("id", wabaId)
            .put("time", System.currentTimeMillis() / 1000)
            .put("changes", new JsonArray().add(new JsonObject().put("value", value)
                .put("field", "message_template_status_update")))))
        .put("object", "whatsapp_business_account")
        .toBuffer();
  }

  void post(Vertx vertx, String wabaId, JsonObject value) {
    post(vertx, body(wabaId, value), 1);
  }

  private void post(Vertx vertx, Buffer body, int attempt) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri)
        .setIdleTimeout(10_000)
        .putHeader("content-type", "application/json")
        .putHeader("X-Hub-Signature-256", "sha256="
            + WebhookAuth.hmacSha256Hex(SandboxSecrets.META_APP_SECRET, body.getBytes()));
    client(vertx).request(options)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          int status = ar.succeeded() ? ar.result() : -1;
          if (status >= 200 && status < 300) {
            sent.incrementAndGet();
          } else if (attempt < settings.maxAttempts()) {
            vertx.setTimer(settings.retryBaseMs() << Math.min(attempt - 1, 20), t -> post(vertx, body, attempt + 1));
          } else {
            failed.incrementAndGet();
            log.warn("sandbox: template status webhook to {} given up after {} attempts ({})", uri, attempt,
                ar.succeeded() ? "status " + status : ar.cause().toString());
          }
        });
  }

  private HttpClient client(Vertx vertx) {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          client = vertx.createHttpClient();
        }
        c = client;
      }
    }
    return c;
  }

  long sent() {
    return sent.get();
  }

  long failed() {
    return failed.get();
  }
}
