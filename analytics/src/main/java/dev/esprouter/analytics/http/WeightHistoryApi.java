package dev.esprouter.analytics.http;

import dev.esprouter.analytics.weights.WeightHistory;
import dev.esprouter.common.Channel;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.routing.DomainGroup;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code GET /v1/stats/weights?channel=&domain_group=&from=&to=}: each provider's weight per
 * channel and domain group over the range, as this process's learner set it (sampled every
 * {@code ESP_WEIGHTS_HISTORY_SAMPLE_SECONDS}, kept {@code ESP_WEIGHTS_HISTORY_HOURS}), and every big
 * change in the range with its reason ({@link WeightHistory}). Every channel and group unless asked;
 * a bad channel, group or time is 400. Provider health is not tenant data: the same for all callers.
 */
public final class WeightHistoryApi {

  /** The most points a series gets; a longer range gets the last sample of each step. */
  static final int MAX_POINTS = 1440;

  private final WeightHistory history;

  public WeightHistoryApi(WeightHistory history) {
    this.history = history;
  }

  public void mount(Router router, Handler<RoutingContext> auth) {
    router.get("/v1/stats/weights").handler(auth).handler(this::weights);
  }

  private void weights(RoutingContext ctx) {
    Channel channel = Params.channel(ctx, false);
    if (ctx.response().ended()) {
      return;
    }
    String rawGroup = ctx.queryParams().get("domain_group");
    DomainGroup group = rawGroup == null || rawGroup.isBlank() ? null : DomainGroup.fromWire(rawGroup);
    if (rawGroup != null && !rawGroup.isBlank() && group == null) {
      ApiError.badRequest("invalid_parameter", "domain_group: '" + rawGroup + "' is not one of gmail, microsoft, "
          + "yahoo, apple, other", "domain_group").send(ctx);
      return;
    }
    if (channel != null && channel != Channel.EMAIL && group != null && group != DomainGroup.OTHER) {
      ApiError.badRequest("invalid_parameter", "domain_group: " + channel.wire() + " has one group, other",
          "domain_group").send(ctx);
      return;
    }
    StatsApi.Range range = StatsApi.Range.of(ctx, Duration.ofHours(3));
    if (range == null) {
      return;
    }
    Responses.json(ctx, 200, history.query(range.from(), range.to(), channel, group, MAX_POINTS));
  }
}
