package dev.esprouter.campaigns;

import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.RoleModule;
import dev.esprouter.common.status.MessageStatusView;
import dev.esprouter.ingress.AdminGuard;
import dev.esprouter.ingress.CampaignIntake;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaigns role (docs/CAMPAIGNS.md): the {@code /v1/campaigns*} routes on the main port and the
 * feeder that hands sending campaigns to the send lanes. The gate that makes the router hold a paused
 * campaign's chunks is registered in every process ({@link CampaignServices}).
 */
public final class CampaignsRole implements RoleModule {

  private static final Logger log = LoggerFactory.getLogger(CampaignsRole.class);
  static final int MAX_CAMPAIGN_BODY_BYTES = 2 * 1024 * 1024;

  private CampaignSettings settings;
  private CampaignIntake intake;
  private WorkerExecutor uploadWorkers;
  private String feederDeployment;
  private RoleContext ctx;

  @Override
  public EspConfig.Role role() {
    return EspConfig.Role.CAMPAIGNS;
  }

  @Override
  public void configure(EspConfig config) {
    settings = CampaignSettings.from(config.reader());
  }

  @Override
  public Future<Void> start(RoleContext ctx) {
    this.ctx = ctx;
    if (settings == null) {
      configure(ctx.config());
    }
    ApiKeyAuth auth = ctx.services().find(ApiKeyAuth.class).orElseGet(() -> new ApiKeyAuth(ctx.pool()));
    Optional<MessageStatusView> statuses = ctx.services().find(MessageStatusView.class);
    CampaignMetrics metrics = new CampaignMetrics(ctx.registry() != null ? ctx.registry() : new SimpleMeterRegistry());
    uploadWorkers = ctx.vertx().createSharedWorkerExecutor("esp-campaign-upload", settings.uploads(), 1,
        TimeUnit.HOURS);
    Semaphore slots = new Semaphore(settings.uploads());
    return CampaignIntake.start(ctx).compose(in -> {
      intake = in;
      CampaignsApi api = new CampaignsApi(ctx.pool(), in, statuses);
      UploadApi upload = new UploadApi(ctx.pool(), in, settings, uploadWorkers, slots, metrics);
      ctx.routes().mount(router -> {
        mount(router, auth, api, upload);
        // As ingress's admin routes: absent (404) without ESP_ADMIN_TOKEN; guarded here too, since a
        // process may run the campaigns role without ingress (whose guard covers /admin/* when present).
        ctx.config().adminToken().ifPresent(token -> router.post("/admin/tenants/:id/campaigns/:cid/approve")
            .handler(AdminGuard.of(token)).handler(api::approve));
      });
      return ctx.vertx().deployVerticle(new CampaignFeeder(ctx.pool(), in, settings, statuses, metrics));
    }).map(id -> {
      feederDeployment = id;
      log.info("campaigns: /v1/campaigns* on port {}, feeder every {} ms (lease {} ms, {} recipients ahead at most)",
          ctx.config().httpPort(), settings.tickMs(), settings.leaseMs(), settings.maxAhead());
      return null;
    });
  }

  private static void mount(Router router, ApiKeyAuth auth, CampaignsApi api, UploadApi upload) {
    Handler<RoutingContext> body = BodyHandler.create(false).setBodyLimit(MAX_CAMPAIGN_BODY_BYTES);
    router.post("/v1/campaigns").handler(body).handler(auth).handler(api::create);
    router.get("/v1/campaigns").handler(auth).handler(api::list);
    router.get("/v1/campaigns/:id").handler(auth).handler(api::get);
    router.patch("/v1/campaigns/:id").handler(body).handler(auth).handler(api::patch);
    router.post("/v1/campaigns/:id/recipients").handler(UploadApi::hold).handler(auth).handler(upload::upload);
    for (String action : new String[] {"start", "pause", "resume", "cancel"}) {
      router.post("/v1/campaigns/:id/" + action).handler(auth).handler(ctx -> api.action(ctx, action));
    }
    router.get("/v1/campaigns/:id/messages").handler(auth).handler(api::messages);
  }

  @Override
  public Future<Void> stop() {
    Future<Void> feeder = feederDeployment == null ? Future.succeededFuture()
        : ctx.vertx().undeploy(feederDeployment).otherwiseEmpty();
    return feeder
        .compose(v -> uploadWorkers == null ? Future.succeededFuture() : uploadWorkers.close().otherwiseEmpty())
        .compose(v -> intake == null ? Future.succeededFuture() : intake.close());
  }
}
