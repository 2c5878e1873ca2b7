package dev.esprouter.ingress.templates;

import dev.esprouter.common.runtime.RoleContext;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template registry inside the ingress role: the accept-time {@link TemplateChecks}, the
 * {@code /v1/templates*} routes, the consumer of Meta's status updates and the periodic sync with
 * Meta. Started and stopped by the role; the registry cache and the chunk gate exist in every
 * process regardless ({@link TemplateServices}).
 */
public final class Templates {

  private static final Logger log = LoggerFactory.getLogger(Templates.class);

  private final RoleContext ctx;
  private final TemplateSettings settings;
  private final TemplateRegistry registry;
  private final TemplateStore store;
  private final TemplateChecks checks;
  private final MetaTemplateClient meta;
  private final TemplateSync sync;
  private Future<SyncResult> running;
  private String consumerDeployment;
  private long syncTimer = -1;

  private Templates(RoleContext ctx, TemplateSettings settings, TemplateChecks.Folder emailFolder) {
    this.ctx = ctx;
    this.settings = settings;
    this.registry = ctx.services().find(TemplateRegistry.class).orElseGet(() -> {
      TemplateRegistry r = new TemplateRegistry(ctx.pool(), settings.cacheMs());
      ctx.services().register(TemplateRegistry.class, r);
      return r;
    });
    this.store = new TemplateStore(ctx.pool(), registry);
    this.checks = new TemplateChecks(registry, emailFolder);
    this.meta = settings.wabaId().isPresent() ? new MetaTemplateClient(ctx.vertx(), settings) : null;
    this.sync = meta == null ? null : new TemplateSync(ctx.pool(), meta, registry, settings.importTenant());
    ctx.services().register(TemplateChecks.class, checks);
    ctx.services().register(Templates.class, this);
  }

  /**
   * Starts the status consumer and the sync timer (a first sync runs at once, in the background).
   * {@code emailFolder} expands the instance-wide email templates of {@code ESP_TEMPLATES_DIR}.
   */
  public static Future<Templates> start(RoleContext ctx, TemplateSettings settings, TemplateChecks.Folder emailFolder) {
    Templates t = new Templates(ctx, settings, emailFolder);
    TemplateStatusConsumer consumer = new TemplateStatusConsumer(ctx.config().kafka(), ctx.topics(),
        settings.groupId(), settings.wabaId(), new TemplateStatuses(ctx.pool(), t.registry));
    return ctx.vertx().deployVerticle(consumer).map(id -> {
      t.consumerDeployment = id;
      if (t.sync != null && settings.syncMs() > 0) {
        t.syncNow();
        t.syncTimer = ctx.vertx().setPeriodic(settings.syncMs(), x -> t.syncIfIdle());
      }
      log.info("templates: /v1/templates, status updates from {} (group {}), {}", ctx.topics().webhooks(
          dev.esprouter.common.ProviderName.META), settings.groupId(), t.meta == null
          ? "no Meta account (META_WABA_ID unset): submit and sync off"
          : "Meta account " + settings.wabaId().get() + " at " + settings.metaBaseUrl() + ", sync every "
              + settings.syncMs() + " ms");
      return t;
    });
  }

  public TemplateChecks checks() {
    return checks;
  }

  public void mount(Router router, TemplatesApi.Guards guards) {
    new TemplatesApi(ctx.vertx(), store, registry, meta).mount(router, guards);
  }

  /**
   * One sync with Meta, started now or, when one is running, right after it (so it sees what changed
   * before this call). Its failure is logged; the next interval tries again.
   */
  public synchronized Future<SyncResult> syncNow() {
    if (sync == null) {
      return Future.succeededFuture(new SyncResult(0, 0, 0));
    }
    Future<SyncResult> before = running;
    Future<SyncResult> next = (before == null ? Future.<Void>succeededFuture() : before.<Void>mapEmpty().otherwiseEmpty())
        .compose(v -> sync.once())
        .onFailure(err -> log.warn("templates: sync with Meta failed (next in {} ms): {}", settings.syncMs(),
            err.toString()));
    running = next;
    return next;
  }

  /** The timer's sync: skipped while one is still running (a slow Meta must not pile syncs up). */
  private synchronized void syncIfIdle() {
    if (running == null || running.isComplete()) {
      syncNow();
    }
  }

  public Future<Void> stop() {
    if (syncTimer >= 0) {
      ctx.vertx().cancelTimer(syncTimer);
    }
    Future<Void> undeploy = consumerDeployment == null ? Future.succeededFuture()
        : ctx.vertx().undeploy(consumerDeployment).otherwiseEmpty();
    return undeploy.compose(v -> meta == null ? Future.succeededFuture() : meta.close().otherwiseEmpty());
  }
}
