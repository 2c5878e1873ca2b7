package dev.esprouter.router;

import dev.esprouter.common.KafkaTopics;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.RoleModule;
import dev.esprouter.router.consumer.ChunkConsumerVerticle;
import dev.esprouter.router.dlq.DlqDepth;
import dev.esprouter.router.dlq.DlqRoutes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router role: consumes the send lanes and {@code send.retry}, routes each chunk across the
 * channel's providers (weights, limiter, breaker, failover), records outcomes, retries and
 * dead-letters; serves {@code /v1/dlq*}. Provider health goes to the shared {@link ProviderHealth}.
 */
public final class RouterRole implements RoleModule {

  private static final Logger log = LoggerFactory.getLogger(RouterRole.class);

  private RouterSettings settings;
  private DlqDepth.Settings dlqDepthSettings;
  private DlqDepth dlqDepth;
  private RoleContext ctx;
  private String deployment;
  private KafkaProducer<String, Buffer> producer;

  @Override
  public EspConfig.Role role() {
    return EspConfig.Role.ROUTER;
  }

  @Override
  public void configure(EspConfig config) {
    settings = RouterSettings.from(config.reader());
    dlqDepthSettings = DlqDepth.Settings.from(config.reader());
  }

  @Override
  public Future<Void> start(RoleContext ctx) {
    this.ctx = ctx;
    if (settings == null) {
      configure(ctx.config());
    }
    ProviderHealth health = ctx.services().find(ProviderHealth.class).orElseGet(() -> {
      ProviderHealth h = new ProviderHealth();
      ctx.services().register(ProviderHealth.class, h);
      return h;
    });
    RouterMetrics metrics = new RouterMetrics(ctx.registry());
    producer = KafkaProducer.createShared(ctx.vertx(), "esp-router",
        ctx.config().kafka().producerConfig("esp-router"));
    ApiKeyAuth auth = ctx.services().find(ApiKeyAuth.class).orElseThrow(() ->
        new IllegalStateException("the runtime registers ApiKeyAuth before roles start"));
    DlqRoutes dlq = new DlqRoutes(ctx.pool(), producer, ctx.topics(), auth);
    ctx.routes().mount(dlq::mount);
    dlqDepth = new DlqDepth(ctx.vertx(), ctx.pool(), metrics, dlqDepthSettings).start();
    return KafkaTopics.ensure(ctx.vertx(), ctx.config().kafka(), ctx.topics())
        .compose(created -> ctx.vertx().deployVerticle(new ChunkConsumerVerticle(ctx.config().kafka(), settings,
            ctx.topics(), metrics, vertx -> new RouterEngine(vertx, ctx.config(), settings, ctx.services(), health,
            metrics, ctx.pool(), producer, ctx.topics()))))
        .onSuccess(id -> {
          deployment = id;
          log.info("router: consuming {} lanes + retry as group {}, providers {}, /v1/dlq on the main port",
              ctx.topics().send(dev.esprouter.common.Priority.HIGH).replace(".high", ".*"), settings.consumerGroup(),
              Arrays.stream(ProviderName.values()).filter(p -> ctx.config().provider(p).enabled())
                  .map(ProviderName::wire).toList());
        })
        .mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    if (dlqDepth != null) {
      dlqDepth.stop();
    }
    Future<Void> undeploy = deployment == null ? Future.succeededFuture() : ctx.vertx().undeploy(deployment);
    return undeploy.eventually(() -> producer == null ? Future.succeededFuture() : producer.close()).mapEmpty();
  }
}
