package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.Responses;
import dev.esprouter.sandbox.core.ProfileException;
import dev.esprouter.sandbox.core.SendPipeline;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The sandbox's own control and record routes (API.md § Sandbox): {@code GET /sandbox/stats},
 * {@code GET|PUT /sandbox/providers/{name}}, {@code GET /sandbox/providers},
 * {@code POST /sandbox/reset}. Errors use the router's own shape ({@link ApiError}).
 */
final class ControlApi {

  private final Sandbox sandbox;

  ControlApi(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  void mount(Router router) {
    router.get("/sandbox/stats").handler(ctx -> Responses.json(ctx, 200, sandbox.statsJson()));
    router.get("/sandbox/providers").handler(this::profiles);
    router.get("/sandbox/providers/:name").handler(ctx -> {
      SendPipeline p = pipeline(ctx);
      if (p != null) {
        Responses.json(ctx, 200, p.dialect().withOwnSettings(p.profile().toJson()));
      }
    });
    router.put("/sandbox/providers/:name").handler(BodyHandler.create(false).setBodyLimit(64 * 1024))
        .handler(this::change);
    for (SendPipeline p : sandbox.pipelines()) {
      p.dialect().mountControl(router, "/sandbox/providers/" + p.dialect().name().wire());
    }
    router.post("/sandbox/reset").handler(ctx -> {
      sandbox.reset();
      ctx.response().setStatusCode(204).end();
    });
  }

  private void profiles(RoutingContext ctx) {
    JsonObject all = new JsonObject();
    for (ProviderName p : ProviderName.values()) {
      SendPipeline pipe = sandbox.pipeline(p);
      all.put(p.wire(), pipe.dialect().withOwnSettings(pipe.profile().toJson()));
    }
    Responses.json(ctx, 200, new JsonObject().put("providers", all));
  }

  private void change(RoutingContext ctx) {
    SendPipeline p = pipeline(ctx);
    if (p == null) {
      return;
    }
    JsonObject patch;
    try {
      patch = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      patch = null;
    }
    if (patch == null) {
      ApiError.badRequest("invalid_json", "the body must be a JSON object of profile settings", null).send(ctx);
      return;
    }
    try {
      Runnable own = p.dialect().ownSettings(patch);
      JsonObject profile = p.change(patch).toJson();
      own.run();
      Responses.json(ctx, 200, p.dialect().withOwnSettings(profile));
    } catch (ProfileException e) {
      ApiError.badRequest("invalid_profile", e.getMessage(), e.field()).send(ctx);
    }
  }

  private SendPipeline pipeline(RoutingContext ctx) {
    ProviderName name = ProviderName.fromWire(ctx.pathParam("name"));
    if (name == null) {
      ApiError.notFound("provider '" + ctx.pathParam("name") + "'").send(ctx);
      return null;
    }
    return sandbox.pipeline(name);
  }
}
