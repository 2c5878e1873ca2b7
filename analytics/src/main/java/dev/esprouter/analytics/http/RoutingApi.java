package dev.esprouter.analytics.http;

import dev.esprouter.analytics.weights.LearnedWeightSource;
import dev.esprouter.analytics.weights.ProviderScore;
import dev.esprouter.analytics.weights.WeightExplanation;
import dev.esprouter.common.Channel;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.WeightQuery;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;

/**
 * {@code GET /v1/providers} (each provider with its weight, breaker, rate limit and the window's
 * counts and rates) and {@code GET /v1/routing/explain?channel=[&domain_group=][&batch_id=]} (the weights the next
 * chunk would get and every input behind them). Both need a tenant's API key, the admin token or a
 * dashboard session ({@link DashboardAuth}); neither shows tenant data except the batch the caller
 * names, which must be the caller's own (the operator may name any).
 */
public final class RoutingApi {

  /** When the batch was accepted (any tenant's for the operator, else the caller's own): its later chunks learn from the feedback that arrived since. */
  static final String BATCH_STARTED = "select created_at from batches b where b.id = $1 and ($2::text is null or b.tenant_id = $2)";

  private final Pool pool;
  private final EspConfig config;
  private final ProviderHealth health;
  private final LearnedWeightSource weights;

  public RoutingApi(Pool pool, EspConfig config, ProviderHealth health, LearnedWeightSource weights) {
    this.pool = pool;
    this.config = config;
    this.health = health;
    this.weights = weights;
  }

  public void mount(Router router, Handler<RoutingContext> auth) {
    router.get("/v1/providers").handler(auth).handler(this::providers);
    router.get("/v1/routing/explain").handler(auth).handler(this::explain);
  }

  private void providers(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject().put("providers", providersJson()));
  }

  /** Every provider with what produced its weight for a fresh send; also the dashboard's model. */
  public JsonArray providersJson() {
    JsonArray list = new JsonArray();
    for (Channel c : Channel.values()) {
      WeightExplanation e = weights.explain(c, WeightQuery.FRESH);
      for (ProviderScore s : e.providers()) {
        list.add(provider(s));
      }
    }
    return list;
  }

  private JsonObject provider(ProviderScore s) {
    ProviderName p = s.provider();
    ProviderSettings settings = config.provider(p);
    double current = health.currentRate(p);
    return new JsonObject()
        .put("name", p.wire())
        .put("channel", p.channel().wire())
        .put("enabled", settings.enabled())
        .put("weight", s.weight())
        .put("breaker", s.breaker().wire())
        .put("excluded", s.exclusion())
        .put("rate_limit", new JsonObject()
            .put("configured_per_sec", settings.ratePerSec())
            .put("burst", settings.burst())
            .put("current_per_sec", Double.isNaN(current) ? null : current))
        .put("window_days", weights.parameters().windowDays())
        .put("window", s.window().toJson())
        .put("rates", s.rates().toJson())
        .put("probability_of_best", Math.round(s.learned().probabilityOfBest() * 1_000_000d) / 1_000_000d)
        .put("gate", s.learned().gateJson())
        .put("change", s.learned().memory().change() == null ? null : s.learned().memory().change().toJson());
  }

  private void explain(RoutingContext ctx) {
    Channel channel = Params.channel(ctx, true);
    if (channel == null) {
      return;
    }
    String rawGroup = ctx.queryParams().get("domain_group");
    DomainGroup group = rawGroup == null ? DomainGroup.OTHER : DomainGroup.fromWire(rawGroup);
    if (group == null) {
      ApiError.badRequest("invalid_parameter", "domain_group: '" + rawGroup + "' is not one of gmail, microsoft, "
          + "yahoo, apple, other", "domain_group").send(ctx);
      return;
    }
    String batchId = ctx.queryParams().get("batch_id");
    if (batchId == null || batchId.isBlank()) {
      Responses.json(ctx, 200, weights.explain(channel, WeightQuery.FRESH.forGroup(group)).toJson());
      return;
    }
    // The operator may explain any tenant's batch; a tenant only its own.
    String tenant = DashboardAuth.principal(ctx).tenantId();
    pool.preparedQuery(BATCH_STARTED).execute(Tuple.of(batchId, tenant)).onSuccess(rows -> {
      if (rows.size() == 0) {
        ApiError.notFound("batch '" + batchId + "'").send(ctx);
        return;
      }
      OffsetDateTime started = rows.iterator().next().getOffsetDateTime(0);
      // Every chunk gets the current split (the reactive memory holds what arrived since the batch started).
      WeightQuery q = WeightQuery.of(batchId, 1, group);
      Responses.json(ctx, 200, weights.explain(channel, q).toJson().put("batch_id", batchId)
          .put("batch_started_at", started.toInstant().toString()));
    }).onFailure(err -> Responses.unavailable(ctx, 1, "cannot read the batch right now"));
  }
}
