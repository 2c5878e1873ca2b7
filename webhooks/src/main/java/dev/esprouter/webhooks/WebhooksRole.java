package dev.esprouter.webhooks;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.RoleModule;
import dev.esprouter.providers.webhook.WebhookParsers;
import dev.esprouter.providers.webhook.WebhookVerifiers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhooks role: {@code POST /webhooks/<provider>} for the six providers and
 * {@code GET /webhooks/meta}, all feeding raw verified bodies to Kafka through one shared producer.
 *
 * <p>Settings: {@code ESP_WEBHOOK_MAX_WAITING_BYTES} (default 64 MiB) caps the bodies waiting for
 * Kafka's acknowledgement before requests are shed with 503.
 */
public final class WebhooksRole implements RoleModule {

  private static final Logger log = LoggerFactory.getLogger(WebhooksRole.class);

  private WebhookVerifiers verifiers;
  private long maxWaitingBytes;
  private WebhookPublisher publisher;

  @Override
  public EspConfig.Role role() {
    return EspConfig.Role.WEBHOOKS;
  }

  @Override
  public void configure(EspConfig config) {
    verifiers = WebhookVerifiers.from(config);
    maxWaitingBytes = config.reader().longValue("ESP_WEBHOOK_MAX_WAITING_BYTES", 64L << 20, 1L << 20, 8L << 30);
  }

  /**
   * The largest body accepted per provider: SendGrid posts batches of up to ~768 KB and SparkPost
   * batches too; the others post one event (a Postmark bounce may carry the bounced message).
   */
  static long bodyLimit(ProviderName p) {
    return switch (p) {
      case SENDGRID, SPARKPOST -> 2L << 20;
      case POSTMARK, META -> 1L << 20;
      case SOCKETLABS, TELEGRAM -> 256L << 10;
    };
  }

  @Override
  public Future<Void> start(RoleContext ctx) {
    if (verifiers == null) {
      configure(ctx.config());
    }
    KafkaProducer<String, Buffer> producer = KafkaProducer.create(ctx.vertx(),
        ctx.config().kafka().producerConfig("esp-webhooks"));
    publisher = new WebhookPublisher(producer, ctx.topics(), maxWaitingBytes);
    WebhookMetrics metrics = new WebhookMetrics(ctx.registry(), publisher::waitingBytes);
    Map<ProviderName, WebhookEndpoint> endpoints = new EnumMap<>(ProviderName.class);
    for (ProviderName p : ProviderName.values()) {
      endpoints.put(p, new WebhookEndpoint(verifiers.forProvider(p), WebhookParsers.forProvider(p), bodyLimit(p),
          publisher, metrics));
    }
    MetaChallengeEndpoint challenge = new MetaChallengeEndpoint(verifiers.meta(), metrics);
    // Endpoints hold only thread-safe state, so every HTTP event loop shares the same instances.
    ctx.routes().mount(router -> mount(router, endpoints, challenge));
    log.info("webhooks: POST /webhooks/<provider> for {} and GET /webhooks/meta; verified bodies go to Kafka {} "
        + "and the like ({} mode)", endpoints.keySet().stream().map(ProviderName::wire).toList(),
        ctx.topics().webhooks(ProviderName.SENDGRID), ctx.config().providersMode().name().toLowerCase(Locale.ROOT));
    return Future.succeededFuture();
  }

  private static void mount(Router router, Map<ProviderName, WebhookEndpoint> endpoints,
                            MetaChallengeEndpoint challenge) {
    endpoints.forEach((p, endpoint) -> router.post("/webhooks/" + p.wire()).handler(endpoint));
    router.get("/webhooks/meta").handler(challenge);
  }

  @Override
  public Future<Void> stop() {
    // Closing the producer flushes what is in flight; its requests are answered before HTTP stopped.
    return publisher == null ? Future.succeededFuture() : publisher.close();
  }
}
