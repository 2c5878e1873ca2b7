package dev.esprouter.analytics.http;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.templ.jte.JteTemplateEngine;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' page: {@code GET /} (signed in; else a redirect to the sign-in form),
 * {@code GET}/{@code POST /login} and {@code POST /logout}. The page is a jte shell (precompiled at
 * build time, so it works from the shaded jar) whose script draws uPlot charts from the JSON routes
 * ({@code /v1/stats/*}, {@code /v1/providers}, {@code /v1/dlq}); it carries no data itself beyond who is
 * signed in and the session's CSRF token. Strict CSP: scripts and styles only from this origin.
 */
public final class DashboardPage {

  private static final Logger log = LoggerFactory.getLogger(DashboardPage.class);
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

  private final DashboardSessions sessions;
  private final StaticAssets assets = new StaticAssets();
  private final JteTemplateEngine engine = JteTemplateEngine.create(TemplateEngine.createPrecompiled(null,
      ContentType.Html, DashboardPage.class.getClassLoader(), "dev.esprouter.analytics.jte"));

  public DashboardPage(DashboardSessions sessions) {
    this.sessions = sessions;
  }

  public void mount(Router router) {
    assets.mount(router);
    router.get("/").handler(this::page);
    router.get("/login").handler(ctx -> login(ctx, 200, null));
    router.post("/login").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::signIn);
    router.post("/logout").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::signOut);
  }

  private void page(RoutingContext ctx) {
    sessions.find(ctx).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(503, ar.cause());
      } else if (ar.result().isEmpty()) {
        redirect(ctx, "/login");
      } else {
        DashboardSessions.Session s = ar.result().get();
        Map<String, Object> model = new HashMap<>();
        model.put("who", s.principal().name());
        model.put("operator", s.principal().operator());
        model.put("csrf", s.csrf());
        model.put("v", assets.version("dashboard.js") + assets.version("uPlot.iife.min.js"));
        render(ctx, 200, "dashboard.jte", model);
      }
    });
  }

  private void login(RoutingContext ctx, int status, String error) {
    Map<String, Object> model = new HashMap<>();
    model.put("error", error);
    render(ctx, status, "login.jte", model);
  }

  private void signIn(RoutingContext ctx) {
    if (crossSite(ctx)) {
      login(ctx, 403, "Sign-in must come from this page.");
      return;
    }
    String credential = ctx.request().getFormAttribute("credential");
    sessions.principalOf(credential == null ? null : credential.trim())
        .compose(p -> p.isEmpty() ? io.vertx.core.Future.succeededFuture(Optional.<String>empty())
            : sessions.open(ctx, p.get(), credential.trim()).map(Optional::of))
        .onComplete(ar -> {
          if (ar.failed()) {
            log.warn("dashboard sign-in failed: {}", ar.cause().toString());
            login(ctx, 503, "Cannot sign in right now; try again.");
          } else if (ar.result().isEmpty()) {
            login(ctx, 401, "Unknown or revoked key.");
          } else {
            redirect(ctx, "/");
          }
        });
  }

  private void signOut(RoutingContext ctx) {
    sessions.find(ctx).compose(found -> {
      if (found.isPresent() && !DashboardSessions.csrfOk(ctx, found.get())) {
        ctx.response().setStatusCode(403).end("missing or wrong CSRF token");
        return io.vertx.core.Future.succeededFuture();
      }
      return sessions.close(ctx).onSuccess(v -> redirect(ctx, "/login"));
    }).onFailure(err -> ctx.fail(503, err));
  }

  /**
   * A sign-in posted from another site (login CSRF: it would sign the victim in as someone else).
   * Browsers send {@code Sec-Fetch-Site} (used when present) and, on POST, {@code Origin}; a non-browser client
   * sends neither and is let through (it holds the key anyway).
   */
  private static boolean crossSite(RoutingContext ctx) {
    String site = ctx.request().getHeader("Sec-Fetch-Site");
    if (site != null) {
      // Sent by every current browser and not settable by a page: the most precise answer.
      return !site.equals("same-origin") && !site.equals("none");
    }
    String origin = ctx.request().getHeader("Origin");
    if (origin == null || origin.equals("null")) {
      return origin != null;
    }
    try {
      URI o = URI.create(origin);
      HostAndPort host = ctx.request().authority();
      return host == null || o.getHost() == null || !host.host().equalsIgnoreCase(o.getHost())
          || (host.port() >= 0 && o.getPort() >= 0 && host.port() != o.getPort());
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private void render(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    engine.render(model, template).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", CSP).putHeader("X-Frame-Options", "DENY")
          .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "same-origin")
          .putHeader("Cache-Control", "no-store").end(ar.result());
    });
  }

  private static void redirect(RoutingContext ctx, String to) {
    ctx.response().setStatusCode(303).putHeader("Location", to).putHeader("Cache-Control", "no-store").end();
  }
}
