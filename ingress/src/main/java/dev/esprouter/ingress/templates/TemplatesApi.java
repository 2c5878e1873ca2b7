package dev.esprouter.ingress.templates;

import dev.esprouter.common.input.StrictInput;
import dev.esprouter.common.Channel;
import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.http.Tenant;
import dev.esprouter.providers.meta.MetaTemplateStatus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/templates*}: the tenant's registry over HTTP (docs/TEMPLATES.md § API). Every route is
 * scoped to the caller's tenant (another tenant's id is a 404). Bad input is a 400 or 409 naming the
 * problem and stores nothing.
 *
 * <ul>
 *   <li>{@code POST /v1/templates} → 201 (WhatsApp: {@code draft}; Telegram, email: {@code active})</li>
 *   <li>{@code GET /v1/templates?channel=&status=&name=&after=&limit=}, {@code GET /v1/templates/{id}}</li>
 *   <li>{@code PUT /v1/templates/{id}} → new content (409 for a WhatsApp template past its draft)</li>
 *   <li>{@code DELETE /v1/templates/{id}} → 204, at Meta too</li>
 *   <li>{@code POST /v1/templates/{id}/submit} → Meta's review ({@code in_review})</li>
 *   <li>{@code POST /v1/templates/{id}/render} → the preview</li>
 * </ul>
 */
public final class TemplatesApi {

  private static final Logger log = LoggerFactory.getLogger(TemplatesApi.class);
  static final int RETRY_AFTER_SECONDS = 2;
  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  /** What every route passes before its handler: the route's timer, the API key, the tenant's rate. */
  public record Guards(BiFunction<String, String, Handler<RoutingContext>> timed, Handler<RoutingContext> auth,
                       Handler<RoutingContext> limiter) {
  }

  private final Vertx vertx;
  private final TemplateStore store;
  private final TemplateRegistry registry;
  private final MetaTemplateClient meta;

  TemplatesApi(Vertx vertx, TemplateStore store, TemplateRegistry registry, MetaTemplateClient meta) {
    this.vertx = vertx;
    this.store = store;
    this.registry = registry;
    this.meta = meta;
  }

  void mount(Router router, Guards g) {
    Handler<RoutingContext> body = BodyHandler.create(false).setBodyLimit(TemplateInput.MAX_BODY_BYTES + 1024);
    router.post("/v1/templates").handler(g.timed().apply("POST", "/v1/templates")).handler(body)
        .handler(g.auth()).handler(g.limiter()).handler(StrictInput.json()).handler(this::create);
    router.get("/v1/templates").handler(g.timed().apply("GET", "/v1/templates"))
        .handler(g.auth()).handler(g.limiter()).handler(this::list);
    router.get("/v1/templates/:id").handler(g.timed().apply("GET", "/v1/templates/:id"))
        .handler(g.auth()).handler(g.limiter()).handler(this::get);
    router.put("/v1/templates/:id").handler(g.timed().apply("PUT", "/v1/templates/:id")).handler(body)
        .handler(g.auth()).handler(g.limiter()).handler(StrictInput.json()).handler(this::update);
    router.delete("/v1/templates/:id").handler(g.timed().apply("DELETE", "/v1/templates/:id"))
        .handler(g.auth()).handler(g.limiter()).handler(this::delete);
    router.post("/v1/templates/:id/submit").handler(g.timed().apply("POST", "/v1/templates/:id/submit"))
        .handler(g.auth()).handler(g.limiter()).handler(this::submit);
    router.post("/v1/templates/:id/render").handler(g.timed().apply("POST", "/v1/templates/:id/render"))
        .handler(body).handler(g.auth()).handler(g.limiter()).handler(StrictInput.json())
        .handler(this::render);
  }

  private void create(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    Future<Template> created;
    try {
      TemplateInput input = TemplateInput.create(ctx.body().buffer());
      created = complete(input).compose(in -> store.insert(tenant.id(), in.channel(), in.name(), in.language(),
          in.channel() == Channel.WHATSAPP ? Template.DRAFT : Template.ACTIVE, in.category(), in.body()));
    } catch (TemplateRefusal e) {
      created = Future.failedFuture(e);
    }
    answer(ctx, created.map(t -> new Answer(201, t.toJson())));
  }

  private void list(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    String channel = ctx.queryParams().get("channel");
    String status = ctx.queryParams().get("status");
    Future<JsonObject> page;
    try {
      if (channel != null && Channel.fromWire(channel) == null) {
        throw TemplateRefusal.of("invalid_field", "channel", "must be whatsapp, telegram or email");
      }
      if (status != null && !Template.STATUSES.contains(status)) {
        throw TemplateRefusal.of("invalid_field", "status", "must be one of " + String.join(", ", Template.STATUSES));
      }
      int limit = limit(ctx.queryParams().get("limit"));
      page = store.list(tenant.id(), channel, status, ctx.queryParams().get("name"), ctx.queryParams().get("after"),
          limit + 1).map(rows -> page(rows, limit));
    } catch (TemplateRefusal e) {
      page = Future.failedFuture(e);
    }
    answer(ctx, page.map(p -> new Answer(200, p)));
  }

  private static JsonObject page(List<Template> rows, int limit) {
    JsonArray data = new JsonArray();
    String last = null;
    for (Template t : rows) {
      if (data.size() == limit) {
        break;
      }
      data.add(t.toJson());
      last = t.id();
    }
    boolean more = rows.size() > limit;
    return new JsonObject().put("data", data).put("has_more", more).put("next_after", more ? last : null);
  }

  private void get(RoutingContext ctx) {
    answer(ctx, found(ctx).map(t -> new Answer(200, t.toJson())));
  }

  private void update(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    answer(ctx, found(ctx).compose(existing -> {
      if (existing.channel() == Channel.WHATSAPP && !Template.DRAFT.equals(existing.status())) {
        return Future.failedFuture(locked(existing));
      }
      return complete(TemplateInput.update(ctx.body().buffer(), existing))
          .compose(in -> store.updateContent(tenant.id(), existing.id(), in.category(), in.body()))
          .compose(t -> t != null ? Future.succeededFuture(t)
              // Submitted (or deleted) meanwhile: say what it is now.
              : store.get(tenant.id(), existing.id()).compose(now -> Future.failedFuture(now == null
                  ? new TemplateRefusal(ApiError.notFound("template")) : locked(now))));
    }).map(t -> new Answer(200, t.toJson())));
  }

  private static TemplateRefusal locked(Template t) {
    return TemplateRefusal.conflict("template_locked", null, "WhatsApp template '" + t.name() + "' (" + t.language()
        + ") is " + t.status() + ": Meta reviews what it was sent and an approved template cannot be edited here. "
        + "Meta requires a new version: create a template with a new name (e.g. " + t.name() + "_v2), submit it, "
        + "and delete this one when nothing sends it any more");
  }

  private void delete(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    answer(ctx, found(ctx).compose(t -> {
      boolean atMeta = t.channel() == Channel.WHATSAPP && t.metaId() != null && meta != null;
      Future<Void> remote = atMeta ? meta.delete(t.name(), t.metaId()).recover(err -> {
        if (err instanceof MetaTemplateClient.Refused r) {
          // Meta no longer has it (deleted in WhatsApp Manager): nothing left to delete there.
          log.info("templates: Meta refused deleting {} ({}): {}; deleting it here", t.name(), t.language(), r.error);
          return Future.succeededFuture();
        }
        return Future.failedFuture(err);
      }) : Future.succeededFuture();
      return remote.compose(v -> store.delete(tenant.id(), t.id()));
    }).map(deleted -> new Answer(204, null)));
  }

  private void submit(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    answer(ctx, found(ctx).compose(t -> {
      if (t.channel() != Channel.WHATSAPP) {
        return Future.failedFuture(TemplateRefusal.conflict("template_not_submittable", null, "only WhatsApp "
            + "templates are reviewed by Meta; " + t.channel().wire() + " templates are active once stored"));
      }
      if (!Template.DRAFT.equals(t.status()) || t.metaId() != null) {
        return Future.failedFuture(TemplateRefusal.conflict("template_not_submittable", null, "template '" + t.name()
            + "' (" + t.language() + ") was submitted already; it is " + t.status()));
      }
      if (meta == null) {
        return Future.failedFuture(TemplateRefusal.conflict("meta_not_configured", null, "META_WABA_ID is not set: "
            + "this instance has no WhatsApp Business Account to submit templates to"));
      }
      return store.markSubmitting(tenant.id(), t.id()).compose(claimed -> claimed == null
          ? Future.failedFuture(TemplateRefusal.conflict("template_not_submittable", null,
              "template '" + t.name() + "' is being submitted by another request"))
          : submitToMeta(tenant.id(), claimed));
    }).map(t -> new Answer(200, t.toJson())));
  }

  private Future<Template> submitToMeta(String tenantId, Template t) {
    return meta.create(t).transform(ar -> {
      if (ar.succeeded()) {
        String status = MetaTemplateStatus.registryStatus(ar.result().status());
        return store.submitted(tenantId, t.id(), ar.result().id(), status == null ? Template.IN_REVIEW : status, null)
            .compose(updated -> updated != null ? Future.succeededFuture(updated) : store.get(tenantId, t.id()));
      }
      if (ar.cause() instanceof MetaTemplateClient.Refused r) {
        return store.unmarkSubmitting(t.id()).compose(v -> Future.failedFuture(TemplateRefusal.conflict("meta_refused",
            null, "Meta refused template '" + t.name() + "' (" + t.language() + "): " + r.error.message()
                + " (code " + r.error.code() + (r.error.subcode() > 0 ? ", subcode " + r.error.subcode() : "")
                + "); it stays a draft")));
      }
      // Meta may have created it before the answer was lost: the submission stays marked so the sync can match it.
      return Future.failedFuture(ar.cause());
    });
  }

  private void render(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    answer(ctx, found(ctx).compose(t -> {
      JsonObject request = ctx.body().buffer() == null || ctx.body().buffer().length() == 0 ? new JsonObject()
          : TemplateInput.object(ctx.body().buffer());
      return registry.of(tenant.id()).map(reg -> TemplatePreview.render(t, reg, request));
    }).map(preview -> new Answer(200, preview)));
  }

  /** The template of the path for this tenant, or a 404. */
  private Future<Template> found(RoutingContext ctx) {
    return store.get(ApiKeyAuth.tenant(ctx).id(), ctx.pathParam("id")).compose(t -> t == null
        ? Future.failedFuture(new TemplateRefusal(ApiError.notFound("template"))) : Future.succeededFuture(t));
  }

  /** The input ready to store: an email template's jte compiled on a worker (it runs javac). */
  private Future<TemplateInput> complete(TemplateInput input) {
    if (input.channel() != Channel.EMAIL) {
      return Future.succeededFuture(input);
    }
    return vertx.executeBlocking(input::compile, false);
  }

  private static int limit(String raw) {
    if (raw == null) {
      return DEFAULT_PAGE;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= MAX_PAGE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw TemplateRefusal.of("invalid_field", "limit", "must be a whole number from 1 to " + MAX_PAGE);
  }

  private record Answer(int status, JsonObject body) {
  }

  private static void answer(RoutingContext ctx, Future<Answer> answer) {
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        if (ar.result().body() == null) {
          ctx.response().setStatusCode(ar.result().status()).end();
        } else {
          Responses.json(ctx, ar.result().status(), ar.result().body());
        }
      } else if (ar.cause() instanceof TemplateRefusal r) {
        r.error().send(ctx);
      } else {
        log.warn("{} {} answered 503: {}", ctx.request().method(), ctx.request().path(), ar.cause().toString());
        Responses.unavailable(ctx, RETRY_AFTER_SECONDS, ar.cause() instanceof MetaTemplateClient.Unreachable
            ? "Meta's template API cannot be reached right now; nothing was changed, retry later"
            : "cannot read or change templates right now; retry later");
      }
    });
  }
}
