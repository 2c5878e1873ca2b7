package dev.esprouter.analytics.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The dashboard's scripts and styles, served from the jar (no CDN: the page works offline) at
 * {@code /dashboard/assets/<name>}: the vendored uPlot ({@code src/main/frontend/update-vendor.sh}) and
 * the page's own {@code dashboard.js} / {@code dashboard.css}. Read once at start; public (code, no data).
 */
final class StaticAssets {

  static final String PREFIX = "/dashboard/assets/";
  private static final Map<String, String> TYPES = Map.of(
      "uPlot.iife.min.js", "text/javascript; charset=utf-8",
      "uPlot.min.css", "text/css; charset=utf-8",
      "uPlot.LICENSE", "text/plain; charset=utf-8",
      "dashboard.js", "text/javascript; charset=utf-8",
      "dashboard.css", "text/css; charset=utf-8");

  private record Asset(Buffer body, String type, String etag) {
  }

  private final Map<String, Asset> assets;

  StaticAssets() {
    java.util.HashMap<String, Asset> m = new java.util.HashMap<>();
    TYPES.forEach((name, type) -> {
      byte[] bytes = read("dashboard/" + name);
      m.put(name, new Asset(Buffer.buffer(bytes), type, "\"" + HexFormat.of().formatHex(
          DashboardSessions.sha256(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)), 0, 8) + "\""));
    });
    assets = Map.copyOf(m);
  }

  void mount(Router router) {
    router.get(PREFIX + ":name").handler(this::serve);
  }

  /** The asset's ETag, for cache-busting query strings in the page. */
  String version(String name) {
    return assets.get(name).etag().replace("\"", "");
  }

  private void serve(RoutingContext ctx) {
    Asset a = assets.get(ctx.pathParam("name"));
    if (a == null) {
      ctx.next();
      return;
    }
    if (a.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader("content-type", a.type()).putHeader("ETag", a.etag())
        .putHeader("Cache-Control", "public, max-age=3600").putHeader("X-Content-Type-Options", "nosniff")
        .end(a.body());
  }

  private static byte[] read(String resource) {
    try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource + " (analytics/src/main/resources)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
