package dev.esprouter.ingress;

import dev.esprouter.common.KafkaTopics;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.status.ChunkHistory;
import dev.esprouter.common.status.MessageStatusView;
import dev.esprouter.common.http.ApiKeys;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.RoleModule;
import dev.esprouter.ingress.templates.TemplateChecks;
import dev.esprouter.ingress.templates.TemplateRefusal;
import dev.esprouter.ingress.templates.TemplateSettings;
import dev.esprouter.ingress.templates.Templates;
import dev.esprouter.ingress.templates.TemplatesApi;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import dev.esprouter.common.http.OpenApiDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress role: the send API ({@code /v1/messages*}, {@code /v1/batches*}), the template
 * registry ({@code /v1/templates*}, {@link Templates}), the tenant and key admin API
 * ({@code /admin/*}) and {@code /openapi.yaml}, on the main HTTP port. At start it makes
 * sure the send topics exist, creates the {@code default} tenant for {@code ESP_BOOTSTRAP_API_KEY},
 * and readies its Kafka producers.
 */
public final class IngressRole implements RoleModule {

  private static final Logger log = LoggerFactory.getLogger(IngressRole.class);
  private static final long SWEEP_MS = 10 * 60 * 1000;
  private static final long TEMPLATE_CHECK_MS = 5_000;

  private IngressSettings settings;
  private TemplateSettings templateSettings;
  private Templates registry;
  private SendPublisher publisher;
  private RoleContext ctx;
  private long sweepTimer = -1;
  private long templateTimer = -1;

  @Override
  public EspConfig.Role role() {
    return EspConfig.Role.INGRESS;
  }

  @Override
  public void configure(EspConfig config) {
    settings = IngressSettings.from(config.reader());
    templateSettings = TemplateSettings.from(config);
  }

  @Override
  public Future<Void> start(RoleContext ctx) {
    this.ctx = ctx;
    if (settings == null) {
      configure(ctx.config());
    }
    Buffer openApi = openApi();
    ApiKeyAuth auth = ctx.services().find(ApiKeyAuth.class).orElseGet(() -> new ApiKeyAuth(ctx.pool()));
    IdempotencyKeys idempotency = new IdempotencyKeys(ctx.pool());
    Future<Void> bootstrap = ctx.config().bootstrapApiKey()
        .map(key -> ApiKeys.ensureBootstrap(ctx.pool(), key)
            .onSuccess(t -> log.info("tenants: tenant 'default' accepts ESP_BOOTSTRAP_API_KEY"))
            .<Void>mapEmpty())
        .orElse(Future.succeededFuture());
    TemplateFolder templates = new TemplateFolder(settings.templatesDir());
    return templates.reloadIfChanged(ctx.vertx())
        .compose(t -> KafkaTopics.ensure(ctx.vertx(), ctx.config().kafka(), ctx.topics()))
        .compose(created -> ctx.vertx().executeBlocking(() -> {
          publisher = new SendPublisher(ctx.vertx(), ctx.config().kafka(), ctx.topics(), settings);
          publisher.warmUp();
          return publisher;
        }))
        .compose(p -> bootstrap)
        .compose(v -> Templates.start(ctx, templateSettings, folder(templates)))
        .map(tpl -> {
          registry = tpl;
          Ingress in = new Ingress(ctx.vertx(), ctx.pool(), settings, publisher, auth,
              new TenantRateLimiter(settings.defaultRatePerSec()),
              new IngressMetrics(ctx.registry() != null ? ctx.registry() : new SimpleMeterRegistry()), idempotency,
              ctx.config().adminToken(), ctx.services().find(MessageStatusView.class),
              ctx.services().find(ChunkHistory.class), templates, tpl.checks());
          ctx.routes().mount(router -> new IngressRoutes(in, openApi).mount(router));
          ctx.routes().mount(router -> tpl.mount(router, new TemplatesApi.Guards(in.metrics()::timed, in.auth(),
              in.limiter())));
          sweepTimer = ctx.vertx().setPeriodic(SWEEP_MS, id -> idempotency.sweep()
              .onFailure(e -> log.warn("idempotency key sweep failed: {}", e.toString())));
          templateTimer = ctx.vertx().setPeriodic(TEMPLATE_CHECK_MS, id -> templates.reloadIfChanged(ctx.vertx())
              .onFailure(e -> log.warn("email templates not reloaded: {}", e.toString())));
          log.info("ingress: /v1/messages, /v1/batches, reads{}, /openapi.yaml on port {}",
              ctx.config().adminToken().isPresent() ? ", /admin" : " (admin API off: no ESP_ADMIN_TOKEN)",
              ctx.config().httpPort());
          return null;
        });
  }

  @Override
  public Future<Void> stop() {
    if (ctx != null && sweepTimer >= 0) {
      ctx.vertx().cancelTimer(sweepTimer);
    }
    if (ctx != null && templateTimer >= 0) {
      ctx.vertx().cancelTimer(templateTimer);
    }
    Future<Void> templatesStopped = registry == null ? Future.succeededFuture() : registry.stop();
    return templatesStopped.compose(v -> publisher == null ? Future.succeededFuture() : publisher.close());
  }

  /** The instance-wide email templates as the registry's fallback; their refusals in the registry's terms. */
  private static TemplateChecks.Folder folder(TemplateFolder templates) {
    return content -> {
      try {
        return templates.current().expand(content);
      } catch (Invalid e) {
        throw new TemplateRefusal(e.error());
      }
    };
  }

  /** Every module's document united (ingress's, the dashboard's, the router's, ...): /openapi.yaml is the whole API. */
  private static Buffer openApi() {
    return Buffer.buffer(OpenApiDocuments.mergedYaml());
  }
}
