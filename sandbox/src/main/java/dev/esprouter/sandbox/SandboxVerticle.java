package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.sandbox.core.SendPipeline;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * One event loop of the sandbox's HTTP port: the control routes and, under {@code /<provider>},
 * each provider's send routes behind its pipeline. Several instances may share the port; all state
 * lives in the shared {@link Sandbox}.
 */
final class SandboxVerticle extends VerticleBase {

  private final Sandbox sandbox;
  private final String host;
  private final int port;
  private HttpServer server;

  SandboxVerticle(Sandbox sandbox, String host, int port) {
    this.sandbox = sandbox;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    new ControlApi(sandbox).mount(router);
    for (SendPipeline pipeline : sandbox.pipelines()) {
      Router provider = Router.router(vertx);
      // The body is read first, so faults answer a whole request the way a real server would.
      provider.route().handler(BodyHandler.create(false).setBodyLimit(pipeline.dialect().bodyLimit()));
      provider.route().handler(pipeline::admit);
      pipeline.dialect().mount(provider, pipeline);
      router.route("/" + pipeline.dialect().name().wire() + "/*").subRouter(provider);
    }
    router.errorHandler(413, ctx -> {
      SendPipeline p = pipelineOf(ctx.request().path());
      if (p != null) {
        p.refuseTooLarge(ctx);
      } else {
        new ApiError(413, "payload_too_large", "request body is over the limit").send(ctx);
      }
    });
    router.errorHandler(404, ctx -> new ApiError(404, "not_found", "no sandbox route for "
        + ctx.request().method() + " " + ctx.request().path()).send(ctx));
    router.errorHandler(405, ctx -> new ApiError(405, "method_not_allowed", ctx.request().method()
        + " is not allowed on " + ctx.request().path()).send(ctx));
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        .setDecompressionSupported(true)
        .setIdleTimeout(120));
    return server.requestHandler(router).listen();
  }

  int actualPort() {
    return server.actualPort();
  }

  private SendPipeline pipelineOf(String path) {
    for (ProviderName p : ProviderName.values()) {
      if (path != null && path.startsWith("/" + p.wire() + "/")) {
        return sandbox.pipeline(p);
      }
    }
    return null;
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
