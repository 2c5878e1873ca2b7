package dev.esprouter.ingress;

import dev.esprouter.common.input.StrictInput;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The ingress routes of one HTTP event loop. Each route is: meters, body (with its size limit),
 * API key, the tenant's rate, then the handler; the send handlers' statement coalescers are created
 * here, so they belong to this event loop only.
 */
final class IngressRoutes {

  private final Ingress in;
  private final Buffer openApi;

  IngressRoutes(Ingress in, Buffer openApi) {
    this.in = in;
    this.openApi = openApi;
  }

  void mount(Router router) {
    SendApi send = new SendApi(in);
    ReadApi read = new ReadApi(in);
    IngressMetrics m = in.metrics();
    Handler<RoutingContext> messageBody = BodyHandler.create(false).setBodyLimit(in.settings().maxMessageBytes());
    Handler<RoutingContext> batchBody = BodyHandler.create(false).setBodyLimit(in.settings().maxBodyBytes());

    router.post("/v1/messages").handler(m.timed("POST", "/v1/messages")).handler(messageBody).handler(in.auth())
        .handler(in.limiter()).handler(StrictInput.json()).handler(send::message);
    router.post("/v1/batches").handler(m.timed("POST", "/v1/batches")).handler(batchBody).handler(in.auth())
        .handler(in.limiter()).handler(StrictInput.json()).handler(send::batch);
    router.get("/v1/messages/:id").handler(m.timed("GET", "/v1/messages/:id")).handler(in.auth())
        .handler(in.limiter()).handler(read::message);
    router.get("/v1/batches/:id").handler(m.timed("GET", "/v1/batches/:id")).handler(in.auth())
        .handler(in.limiter()).handler(read::batch);
    router.get("/v1/batches/:id/messages").handler(m.timed("GET", "/v1/batches/:id/messages")).handler(in.auth())
        .handler(in.limiter()).handler(read::batchMessages);
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("content-type", "application/yaml")
        .end(openApi));
    in.adminToken().ifPresent(token -> new AdminApi(in, token).mount(router, m));
  }
}
