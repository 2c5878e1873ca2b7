package dev.esprouter.sandbox.meta;

import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.Responses;
import dev.esprouter.sandbox.core.Bodies;
import dev.esprouter.sandbox.core.Credentials;
import dev.esprouter.sandbox.core.ProfileException;
import dev.esprouter.sandbox.core.Reply;
import dev.esprouter.sandbox.core.SendPipeline;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Meta's template management API under the sandbox's {@code /meta} prefix
 * ({@code POST|GET|DELETE /<version>/<waba-id>/message_templates}, Bearer access token, numeric
 * WhatsApp Business Account id), and the sandbox's own control of templates:
 * {@code GET /sandbox/providers/meta/templates} (every template with its status, sends and last
 * send) and {@code POST /sandbox/providers/meta/templates/{id}/status} {@code {"event","reason"}}
 * (Meta pausing, disabling or reinstating a template; the signed webhook follows).
 */
final class TemplateRoutes {

  private static final String PATH = "/(v\\d+\\.\\d+)/([^/]+)/message_templates";

  private final TemplateStore store;
  private final Credentials credentials;

  TemplateRoutes(TemplateStore store, Credentials credentials) {
    this.store = store;
    this.credentials = credentials;
  }

  void mount(Router router, SendPipeline pipeline) {
    router.routeWithRegex(HttpMethod.POST, PATH).handler(ctx -> handle(ctx, pipeline));
    router.routeWithRegex(HttpMethod.GET, PATH).handler(ctx -> handle(ctx, pipeline));
    router.routeWithRegex(HttpMethod.DELETE, PATH).handler(ctx -> handle(ctx, pipeline));
  }

  private void handle(RoutingContext ctx, SendPipeline pipeline) {
    String waba = ctx.pathParam("param1");
    String token = Credentials.bearer(ctx.request().getHeader("Authorization"));
    if (token == null || !credentials.accepts("META_ACCESS_TOKEN", token)) {
      pipeline.refuse(ctx, MetaDialect.error(401, "Invalid OAuth access token - Cannot parse access token",
          "OAuthException", 190, null));
      return;
    }
    if (!waba.matches("\\d+")) {
      pipeline.refuse(ctx, MetaDialect.error(400, "Unsupported request. Object with ID '" + waba + "' does not "
          + "exist, cannot be loaded due to missing permissions, or does not support this operation.",
          "GraphMethodException", 100, null));
      return;
    }
    Reply reply = switch (ctx.request().method().name()) {
      case "POST" -> {
        JsonObject body = Bodies.object(ctx.body().buffer());
        yield body == null ? TemplateRules.invalid(0, "Invalid request", "The request body is not a JSON object.")
            : store.create(ctx.vertx(), waba, body);
      }
      case "GET" -> store.list(waba, ctx.queryParams().get("name"), limit(ctx.queryParams().get("limit")),
          ctx.queryParams().get("after"));
      default -> {
        String name = ctx.queryParams().get("name");
        yield name == null || name.isBlank()
            ? MetaDialect.error(400, "(#100) The parameter name is required", "OAuthException", 100, null)
            : store.delete(waba, name, ctx.queryParams().get("hsm_id"));
      }
    };
    if (reply.status() == 200) {
      pipeline.respond(ctx, reply);
    } else {
      pipeline.refuse(ctx, reply);
    }
  }

  private static int limit(String raw) {
    try {
      return raw == null ? 25 : Math.max(1, Math.min(1000, Integer.parseInt(raw)));
    } catch (NumberFormatException e) {
      return 25;
    }
  }

  static void mountControl(Router router, String base, TemplateStore store) {
    router.get(base + "/templates").handler(ctx -> Responses.json(ctx, 200, store.recordJson()));
    router.post(base + "/templates/:id/status").handler(BodyHandler.create(false).setBodyLimit(16 * 1024))
        .handler(ctx -> {
          JsonObject body = Bodies.object(ctx.body().buffer());
          if (body == null) {
            ApiError.badRequest("invalid_json", "the body must be a JSON object like {\"event\":\"PAUSED\"}", null)
                .send(ctx);
            return;
          }
          try {
            JsonObject t = store.changeStatus(ctx.vertx(), ctx.pathParam("id"), body.getString("event"),
                body.getValue("reason") instanceof String s ? s : null);
            if (t == null) {
              ApiError.notFound("template " + ctx.pathParam("id")).send(ctx);
            } else {
              Responses.json(ctx, 200, t);
            }
          } catch (ProfileException e) {
            ApiError.badRequest("invalid_field", e.getMessage(), e.field()).send(ctx);
          }
        });
  }
}
