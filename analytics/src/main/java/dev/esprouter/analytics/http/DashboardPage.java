package dev.esprouter.analytics.http;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.templ.jte.JteTemplateEngine;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /}: the operators' page (API.md § Operations), server-rendered with jte from templates
 * precompiled at build time (so it works from the shaded jar): providers with weights, breaker states,
 * rate limits and rates; recent provider-reported failures; the progress of the latest batches. It
 * shows no addresses and no message content, only ids and counts, like {@code /metrics}.
 */
public final class DashboardPage {

  static final String RECENT_FAILURES = "select occurred_at, provider, type, message_id, detail->>'reason', "
      + "coalesce((detail->>'recipient_side')::boolean, false) from message_events "
      + "where type in ('bounced', 'dropped', 'complained', 'blocked', 'deferred', 'failed') "
      + "order by occurred_at desc limit 20";

  /** The latest batches with their counters (the status writer's; {@code queued} is what they do not count). */
  static final String RECENT_BATCHES = "select b.id, b.channel, b.recipients, b.created_at, b.campaign_id, "
      + "b.recipients - coalesce(sum(c.n), 0), "
      + "coalesce(sum(c.n) filter (where c.status = 'sent'), 0), "
      + "coalesce(sum(c.n) filter (where c.status in ('delivered', 'opened', 'clicked')), 0), "
      + "coalesce(sum(c.n) filter (where c.status in ('bounced', 'complained', 'failed', 'suppressed', 'dead', "
      + "'cancelled')), 0) "
      + "from (select * from batches order by created_at desc limit 10) b left join batch_counters c on c.batch_id = b.id "
      + "group by b.id, b.channel, b.recipients, b.created_at, b.campaign_id order by b.created_at desc";

  private final Pool pool;
  private final RoutingApi routing;
  private final JteTemplateEngine engine = JteTemplateEngine.create(TemplateEngine.createPrecompiled(null,
      ContentType.Html, DashboardPage.class.getClassLoader(), "dev.esprouter.analytics.jte"));

  public DashboardPage(Pool pool, RoutingApi routing) {
    this.pool = pool;
    this.routing = routing;
  }

  public void mount(Router router) {
    router.get("/").handler(this::render);
  }

  private static long num(Object v) {
    return v == null ? 0 : ((Number) v).longValue();
  }

  private void render(RoutingContext ctx) {
    Future<JsonArray> failures = pool.query(RECENT_FAILURES).execute().map(rows -> {
      JsonArray list = new JsonArray();
      for (Row r : rows) {
        list.add(new JsonObject().put("at", r.getOffsetDateTime(0).toInstant().toString()).put("provider", r.getString(1))
            .put("type", r.getString(2)).put("message_id", r.getString(3)).put("reason", r.getString(4))
            .put("recipient_side", r.getBoolean(5)));
      }
      return list;
    });
    Future<JsonArray> batches = pool.query(RECENT_BATCHES).execute().map(rows -> {
      JsonArray list = new JsonArray();
      for (Row r : rows) {
        list.add(new JsonObject().put("id", r.getString(0)).put("channel", r.getString(1))
            .put("recipients", r.getInteger(2)).put("created_at", r.getOffsetDateTime(3).toInstant().toString())
            .put("campaign_id", r.getString(4)).put("pending", num(r.getValue(5))).put("sent", num(r.getValue(6)))
            .put("delivered", num(r.getValue(7))).put("failed", num(r.getValue(8))));
      }
      return list;
    });
    Future.all(failures, batches)
        .compose(v -> engine.render(Map.of("providers", routing.providersJson(), "failures", failures.result(),
            "batches", batches.result(), "generatedAt", Instant.now().toString()), "dashboard.jte"))
        .onSuccess(html -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(html))
        .onFailure(ctx::fail);
  }
}
