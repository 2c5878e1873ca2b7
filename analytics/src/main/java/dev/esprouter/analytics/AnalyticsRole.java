package dev.esprouter.analytics;

import dev.esprouter.analytics.events.AnalyticsMetrics;
import dev.esprouter.analytics.events.StatusWriter;
import dev.esprouter.common.status.MessageDirectory;
import dev.esprouter.analytics.events.UnmatchedRecheck;
import dev.esprouter.analytics.events.WebhookEventsVerticle;
import dev.esprouter.analytics.http.DashboardAuth;
import dev.esprouter.analytics.http.DashboardPage;
import dev.esprouter.analytics.http.DashboardSessions;
import dev.esprouter.analytics.http.DashboardSettings;
import dev.esprouter.analytics.http.PipelineSampler;
import dev.esprouter.analytics.http.StatsApi;
import dev.esprouter.analytics.http.RoutingApi;
import dev.esprouter.analytics.http.SuppressionsApi;
import dev.esprouter.analytics.http.WeightHistoryApi;
import dev.esprouter.analytics.weights.LearnedWeightSource;
import dev.esprouter.analytics.weights.WeightParameters;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.WeightSource;
import dev.esprouter.common.runtime.RoleContext;
import dev.esprouter.common.runtime.RoleModule;
import dev.esprouter.providers.webhook.WebhookParser;
import dev.esprouter.providers.webhook.WebhookParsers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.esprouter.common.db.Db;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics role: consumes the webhook topics into message status, the event timeline,
 * per-minute provider stats and suppressions; serves {@code /v1/providers},
 * {@code /v1/routing/explain}, {@code /v1/suppressions/*} and the dashboard at {@code /}. The weights
 * themselves come from the process's {@link LearnedWeightSource} (created by its factory before any
 * role starts, so the router gets them even where this role does not run).
 */
public final class AnalyticsRole implements RoleModule {

  private static final Logger log = LoggerFactory.getLogger(AnalyticsRole.class);

  private final Function<ProviderName, WebhookParser> parsers;
  private AnalyticsSettings settings;
  private DashboardSettings dashboardSettings;
  private PipelineSampler sampler;
  private long sessionPruning = -1;
  private RoleContext ctx;
  private String deployment;
  private Pool writerPool;
  private LearnedWeightSource ownSource;

  public AnalyticsRole() {
    this(WebhookParsers::forProvider);
  }

  /** With other parsers (tests feed normalized events through a parser of their own). */
  public AnalyticsRole(Function<ProviderName, WebhookParser> parsers) {
    this.parsers = parsers;
  }

  @Override
  public EspConfig.Role role() {
    return EspConfig.Role.ANALYTICS;
  }

  @Override
  public void configure(EspConfig config) {
    settings = AnalyticsSettings.from(config.reader());
    dashboardSettings = DashboardSettings.from(config.reader());
    WeightParameters.from(config.reader());
  }

  @Override
  public Future<Void> start(RoleContext ctx) {
    this.ctx = ctx;
    if (settings == null) {
      configure(ctx.config());
    }
    ProviderHealth health = ctx.services().find(ProviderHealth.class).orElseGet(ProviderHealth::new);
    LearnedWeightSource weights = weightSource(ctx, health);
    ApiKeyAuth auth = ctx.services().find(ApiKeyAuth.class).orElseGet(() -> new ApiKeyAuth(ctx.pool()));
    RoutingApi routing = new RoutingApi(ctx.pool(), ctx.config(), health, weights);
    SuppressionsApi suppressions = new SuppressionsApi(ctx.pool());
    // The dashboard's sessions are also accepted by the tenant API routes (its DLQ requeue uses them);
    // DashboardSessionsProvider registers them in every process, this role's included.
    DashboardSessions sessions = ctx.services().find(DashboardSessions.class).orElseGet(() -> {
      DashboardSessions own = new DashboardSessions(ctx.pool(), auth, ctx.config().adminToken(), dashboardSettings);
      auth.acceptSessions(own);
      return own;
    });
    sessionPruning = sessions.startPruning(ctx.vertx());
    DashboardAuth readers = new DashboardAuth(sessions);
    sampler = new PipelineSampler(ctx.registry() != null ? ctx.registry() : new SimpleMeterRegistry(),
        dashboardSettings.sampleSeconds(), 180)
        .start(ctx.vertx());
    StatsApi stats = new StatsApi(ctx.pool(), sampler);
    WeightHistoryApi weightHistory = new WeightHistoryApi(weights.history());
    DashboardPage dashboard = new DashboardPage(sessions);
    ctx.routes().mount(router -> {
      routing.mount(router, readers);
      suppressions.mount(router, auth);
      stats.mount(router, readers);
      weightHistory.mount(router, readers);
      dashboard.mount(router);
    });
    MessageDirectory directory = ctx.services().find(MessageDirectory.class).orElseThrow(() ->
        new IllegalStateException("no MessageDirectory: the ingress module registers it (SharedServiceProvider)"));
    // The status writer's transactions have connections of their own (esp-status-writer in pg_stat_activity).
    writerPool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(settings.writers() + 1).setName("esp-status-writer"))
        .connectingTo(Db.connectOptions(ctx.config().database()).addProperty("application_name", "esp-status-writer"))
        .using(ctx.vertx())
        .build();
    StatusWriter writer = new StatusWriter(writerPool, directory, settings.firstRecheckMs());
    UnmatchedRecheck recheck = new UnmatchedRecheck(ctx.pool(), writer, 500, settings.recheckAttempts(),
        settings.firstRecheckMs());
    AnalyticsMetrics metrics = new AnalyticsMetrics(ctx.registry() != null ? ctx.registry() : new SimpleMeterRegistry());
    return ctx.vertx().deployVerticle(new WebhookEventsVerticle(ctx.config().kafka(), ctx.topics(), settings.groupId(),
            parsers, writer, recheck, settings.recheckEveryMs(), settings.writers(), metrics))
        .onSuccess(id -> {
          deployment = id;
          log.info("analytics: consuming {} into PostgreSQL (group {}); serving /v1/providers, /v1/routing/explain, "
              + "/v1/suppressions/*, /v1/stats/* and the dashboard at / (sign-in at /login)", ctx.topics().webhooks(ProviderName.SENDGRID)
              .replace("sendgrid", "*"), settings.groupId());
        })
        .mapEmpty();
  }

  /** The process's learned weight source; one of our own only if the factory did not run (a test wiring). */
  private LearnedWeightSource weightSource(RoleContext ctx, ProviderHealth health) {
    WeightSource registered = ctx.services().find(WeightSource.class).orElse(null);
    if (registered instanceof LearnedWeightSource learned) {
      return learned;
    }
    ownSource = new LearnedWeightSource(ctx.vertx(), ctx.pool(), ctx.config(), health,
        WeightParameters.from(ctx.config().reader())).start();
    return ownSource;
  }

  @Override
  public Future<Void> stop() {
    if (sampler != null) {
      sampler.stop(ctx.vertx());
    }
    if (sessionPruning >= 0) {
      ctx.vertx().cancelTimer(sessionPruning);
    }
    if (ownSource != null) {
      ownSource.close();
    }
    if (deployment == null || ctx == null) {
      return Future.succeededFuture();
    }
    return ctx.vertx().undeploy(deployment).eventually(() -> writerPool == null ? Future.succeededFuture()
        : writerPool.close());
  }
}
