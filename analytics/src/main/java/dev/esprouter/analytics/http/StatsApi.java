package dev.esprouter.analytics.http;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.routing.DomainGroup;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's data, also for scripts (OpenAPI {@code /v1/stats/*}):
 * <ul>
 *   <li>{@code GET /v1/stats/providers?from=&to=&step=&provider=&domain_group=}: {@code provider_stats}
 *       minute buckets summed per step, counts and rates per provider ({@link StatsSeries}); every
 *       domain group summed unless one is asked. Provider health is not tenant data: the same for all.</li>
 *   <li>{@code GET /v1/stats/failures?type=&provider=&from=&to=&limit=}: failure events (failed, bounced,
 *       dropped, complained, blocked, dead) newest first; a tenant sees its own messages', the operator
 *       everyone's.</li>
 *   <li>{@code GET /v1/stats/pipeline}: this process's recent throughput, latency, lag, DLQ depth and
 *       weights ({@link PipelineSampler}).</li>
 * </ul>
 */
public final class StatsApi {

  static final Set<String> FAILURE_TYPES = Set.of("failed", "bounced", "dropped", "complained", "blocked", "dead");
  static final Duration MAX_RANGE = Duration.ofDays(31);
  static final int MAX_STEPS = 1440;
  private static final Logger log = LoggerFactory.getLogger(StatsApi.class);

  private final Pool pool;
  private final PipelineSampler sampler;
  private final Future<Boolean> hasDomainGroup;

  public StatsApi(Pool pool, PipelineSampler sampler) {
    this.pool = pool;
    this.sampler = sampler;
    this.hasDomainGroup = pool.query(DashboardSql.STATS_HAS_DOMAIN_GROUP).execute()
        .map(rows -> rows.iterator().next().getBoolean(0))
        .onFailure(err -> log.warn("could not tell whether provider_stats has domain groups: {}", err.toString()));
  }

  public void mount(Router router, Handler<RoutingContext> auth) {
    router.get("/v1/stats/providers").handler(auth).handler(this::providers);
    router.get("/v1/stats/failures").handler(auth).handler(this::failures);
    router.get("/v1/stats/pipeline").handler(auth).handler(this::pipeline);
  }

  private void providers(RoutingContext ctx) {
    Range range = Range.of(ctx, Duration.ofHours(3));
    if (range == null) {
      return;
    }
    Long step = step(ctx, range);
    if (step == null) {
      return;
    }
    String provider = provider(ctx);
    if (provider != null && provider.isEmpty()) {
      return;
    }
    String rawGroup = ctx.queryParams().get("domain_group");
    DomainGroup group = DomainGroup.fromWire(rawGroup);
    if (rawGroup != null && group == null) {
      ApiError.badRequest("invalid_parameter", "domain_group: '" + rawGroup + "' is not one of gmail, microsoft, "
          + "yahoo, apple, other", "domain_group").send(ctx);
      return;
    }
    long from = Math.floorDiv(range.from.getEpochSecond(), step) * step;
    int steps = (int) Math.max(1, (range.to.getEpochSecond() - from + step - 1) / step);
    hasDomainGroup.otherwise(false).compose(perGroup -> {
      if (group != null && !perGroup) {
        ApiError.badRequest("invalid_parameter", "domain_group: provider stats are not kept per domain group by this "
            + "version", "domain_group").send(ctx);
        return Future.succeededFuture();
      }
      Tuple args = Tuple.of(at(from), at(range.to.getEpochSecond()), (double) step, provider);
      if (group != null) {
        args.addString(group.wire());
      }
      return pool.preparedQuery(group == null ? DashboardSql.STATS_SERIES : DashboardSql.STATS_SERIES_GROUP)
          .execute(args)
          .onSuccess(rows -> Responses.json(ctx, 200, StatsSeries.of(from, steps, step, rows)
              .put("from", Instant.ofEpochSecond(from).toString()).put("to", range.to.toString())
              .put("domain_group", group == null ? null : group.wire())));
    }).onFailure(err -> {
      log.warn("provider stats read failed: {}", err.toString());
      Responses.unavailable(ctx, 1, "cannot read provider stats right now");
    });
  }

  private void failures(RoutingContext ctx) {
    Range range = Range.of(ctx, Duration.ofDays(1));
    if (range == null) {
      return;
    }
    String provider = provider(ctx);
    if (provider != null && provider.isEmpty()) {
      return;
    }
    List<String> types = types(ctx);
    if (types == null) {
      return;
    }
    Integer limit = limit(ctx);
    if (limit == null) {
      return;
    }
    Principal who = DashboardAuth.principal(ctx);
    Tuple args = Tuple.of(types.toArray(String[]::new), provider, at(range.from.getEpochSecond()),
        OffsetDateTime.ofInstant(range.to, ZoneOffset.UTC), limit);
    if (!who.operator()) {
      args.addString(who.tenantId());
    }
    pool.preparedQuery(who.operator() ? DashboardSql.FAILURES : DashboardSql.FAILURES_OF_TENANT).execute(args)
        .onSuccess(rows -> {
          JsonArray list = new JsonArray();
          String last = null;
          for (Row r : rows) {
            last = r.getOffsetDateTime(1).toInstant().toString();
            list.add(new JsonObject().put("at", last).put("provider", r.getString(2)).put("type", r.getString(3))
                .put("message_id", r.getString(4)).put("reason", r.getString(5)).put("recipient_side", r.getBoolean(6)));
          }
          JsonObject body = new JsonObject().put("failures", list)
              .put("scope", who.operator() ? "all tenants" : "tenant " + who.name());
          if (list.size() == limit) {
            body.put("next_to", last);
          }
          Responses.json(ctx, 200, body);
        })
        .onFailure(err -> {
          log.warn("failure events read failed: {}", err.toString());
          Responses.unavailable(ctx, 1, "cannot read failure events right now");
        });
  }

  private void pipeline(RoutingContext ctx) {
    Responses.json(ctx, 200, sampler.toJson());
  }

  /** {@code from}/{@code to} (RFC 3339; to defaults to now, from to {@code to - fallback}); null when 400 sent. */
  record Range(Instant from, Instant to) {

    static Range of(RoutingContext ctx, Duration fallback) {
      Instant to = instant(ctx, "to", Instant.now());
      if (to == null) {
        return null;
      }
      Instant from = instant(ctx, "from", to.minus(fallback));
      if (from == null) {
        return null;
      }
      if (!from.isBefore(to)) {
        ApiError.badRequest("invalid_parameter", "from: must be before to", "from").send(ctx);
        return null;
      }
      if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
        ApiError.badRequest("invalid_parameter", "from: at most 31 days before to", "from").send(ctx);
        return null;
      }
      return new Range(from, to);
    }

    private static Instant instant(RoutingContext ctx, String name, Instant fallback) {
      String raw = ctx.queryParams().get(name);
      if (raw == null || raw.isBlank()) {
        return fallback;
      }
      try {
        return OffsetDateTime.parse(raw).toInstant();
      } catch (DateTimeParseException e) {
        ApiError.badRequest("invalid_parameter", name + ": '" + raw + "' is not an RFC 3339 time", name).send(ctx);
        return null;
      }
    }
  }

  /** {@code step} in seconds, a whole number of minutes; by default the range in at most 360 steps. */
  private static Long step(RoutingContext ctx, Range range) {
    long seconds = Duration.between(range.from, range.to).toSeconds();
    String raw = ctx.queryParams().get("step");
    if (raw == null || raw.isBlank()) {
      return Math.max(60, (seconds / 360 + 59) / 60 * 60);
    }
    long step;
    try {
      step = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      step = -1;
    }
    if (step < 60 || step % 60 != 0 || step > 86_400) {
      ApiError.badRequest("invalid_parameter", "step: seconds, a multiple of 60 from 60 to 86400", "step").send(ctx);
      return null;
    }
    if (seconds / step > MAX_STEPS) {
      ApiError.badRequest("invalid_parameter", "step: at most " + MAX_STEPS + " steps in the range", "step").send(ctx);
      return null;
    }
    return step;
  }

  /** The {@code provider} parameter: null when absent, "" when invalid (400 sent). */
  private static String provider(RoutingContext ctx) {
    String raw = ctx.queryParams().get("provider");
    if (raw == null || raw.isBlank()) {
      return null;
    }
    if (ProviderName.fromWire(raw) == null) {
      ApiError.badRequest("invalid_parameter", "provider: '" + raw + "' is not a provider", "provider").send(ctx);
      return "";
    }
    return raw;
  }

  private static List<String> types(RoutingContext ctx) {
    String raw = ctx.queryParams().get("type");
    if (raw == null || raw.isBlank()) {
      return List.copyOf(FAILURE_TYPES);
    }
    List<String> out = new ArrayList<>();
    for (String t : raw.split(",")) {
      if (!FAILURE_TYPES.contains(t.trim())) {
        ApiError.badRequest("invalid_parameter", "type: '" + t.trim() + "' is not one of "
            + String.join(", ", new java.util.TreeSet<>(FAILURE_TYPES)), "type").send(ctx);
        return null;
      }
      out.add(t.trim());
    }
    return out;
  }

  private static Integer limit(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null || raw.isBlank()) {
      return 50;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= 200) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    ApiError.badRequest("invalid_parameter", "limit: a whole number from 1 to 200", "limit").send(ctx);
    return null;
  }

  private static OffsetDateTime at(long epochSecond) {
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }
}
