package dev.esprouter.common.runtime;

import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.input.UriCheck;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * One instance of the main HTTP port. Several instances share the port (Vert.x balances
 * connections across them), each on its own event loop with its own router built from the roles'
 * route mounts plus the operations endpoints.
 */
final class HttpVerticle extends VerticleBase {

  private final int port;
  private final HttpRoutes routes;
  private final OpsChecks checks;
  private HttpServer server;

  HttpVerticle(int port, HttpRoutes routes, OpsChecks checks) {
    this.port = port;
    this.routes = routes;
    this.checks = checks;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // First, for every route: an id with a NUL or malformed UTF-8 must not reach a handler (API.md).
    router.route().handler(new UriCheck());
    checks.mount(router);
    routes.applyTo(router);
    router.errorHandler(404, ctx -> new ApiError(404, "not_found", "no route for " + ctx.request().method() + " "
        + ctx.request().path()).send(ctx));
    router.errorHandler(405, ctx -> new ApiError(405, "method_not_allowed", ctx.request().method()
        + " is not allowed on " + ctx.request().path()).send(ctx));
    router.errorHandler(413, ctx -> new ApiError(413, "payload_too_large", "request body is over the limit").send(ctx));
    router.errorHandler(500, ctx -> {
      org.slf4j.LoggerFactory.getLogger(HttpVerticle.class)
          .error("unhandled error on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
      new ApiError(500, "internal", "internal error").send(ctx);
    });
    server = vertx.createHttpServer(new HttpServerOptions()
        .setPort(port)
        .setTcpNoDelay(true)
        .setCompressionSupported(true)
        .setIdleTimeout(120));
    return server.requestHandler(router).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
