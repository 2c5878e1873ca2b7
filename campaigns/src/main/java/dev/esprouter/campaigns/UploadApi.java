package dev.esprouter.campaigns;

import dev.esprouter.common.http.ApiError;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.http.Responses;
import dev.esprouter.common.http.Tenant;
import dev.esprouter.ingress.CampaignIntake;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/campaigns/{id}/recipients}: the content type decides the reader ({@code text/csv},
 * {@code application/x-ndjson}, {@code application/gzip} of either, or either with
 * {@code Content-Encoding: gzip}), then the body is streamed into PostgreSQL on one of
 * {@code ESP_CAMPAIGN_UPLOADS} worker threads ({@link RecipientUpload}); with all of them busy, 503.
 * A refused upload closes the connection (the rest of its body is not read).
 */
final class UploadApi {

  private static final Logger log = LoggerFactory.getLogger(UploadApi.class);

  private final Pool pool;
  private final CampaignIntake intake;
  private final CampaignSettings settings;
  private final WorkerExecutor workers;
  private final Semaphore slots;
  private final CampaignMetrics metrics;

  UploadApi(Pool pool, CampaignIntake intake, CampaignSettings settings, WorkerExecutor workers, Semaphore slots,
            CampaignMetrics metrics) {
    this.pool = pool;
    this.intake = intake;
    this.settings = settings;
    this.workers = workers;
    this.slots = slots;
    this.metrics = metrics;
  }

  /** Keeps the body in the socket until the upload reads it (authentication is asynchronous). */
  static void hold(RoutingContext ctx) {
    ctx.request().pause();
    ctx.next();
  }

  void upload(RoutingContext ctx) {
    Tenant tenant = ApiKeyAuth.tenant(ctx);
    HttpServerRequest req = ctx.request();
    String type = mediaType(req.getHeader("content-type"));
    String encoding = mediaType(req.getHeader("content-encoding"));
    boolean gzip = type.equals("application/gzip") || type.equals("application/x-gzip") || encoding.equals("gzip");
    RecipientUpload.Format format = switch (type) {
      case "text/csv", "application/csv" -> RecipientUpload.Format.CSV;
      case "application/x-ndjson", "application/ndjson", "application/jsonl" -> RecipientUpload.Format.NDJSON;
      case "application/gzip", "application/x-gzip" -> RecipientUpload.Format.SNIFF;
      default -> null;
    };
    if (format == null || !(encoding.isEmpty() || encoding.equals("identity") || encoding.equals("gzip"))) {
      refuse(ctx, new ApiError(415, "unsupported_media_type", "send the list as text/csv, application/x-ndjson or "
          + "application/gzip of either (or with Content-Encoding: gzip); got " + (type.isEmpty() ? "no content type"
          : CsvList.shorten(type)) + (encoding.isEmpty() ? "" : " with encoding " + CsvList.shorten(encoding))));
      return;
    }
    String length = req.getHeader("content-length");
    if (settings.uploadMaxBytes() > 0 && length != null && parse(length) > settings.uploadMaxBytes()) {
      refuse(ctx, new ApiError(413, "upload_too_large", "the upload is larger than ESP_CAMPAIGN_UPLOAD_MAX_BYTES ("
          + settings.uploadMaxBytes() + " bytes); nothing was stored"));
      return;
    }
    if (!slots.tryAcquire()) {
      ctx.response().putHeader("connection", "close");
      Responses.unavailable(ctx, CampaignsApi.RETRY_AFTER_SECONDS, "every upload slot is busy "
          + "(ESP_CAMPAIGN_UPLOADS); retry later");
      return;
    }
    String id = ctx.pathParam("id");
    BodyStream body = new BodyStream(req, ctx.vertx().getOrCreateContext(), settings.uploadMaxBytes());
    long started = System.nanoTime();
    workers.executeBlocking(() -> new RecipientUpload(pool, intake, settings, tenant.id(), id)
            .run(body, format, gzip), false)
        .onComplete(ar -> {
          slots.release();
          if (ar.succeeded()) {
            metrics.uploaded(ar.result());
            log.info("campaign {}: upload of {} bytes stored in {} ms: {}", id, body.received(),
                (System.nanoTime() - started) / 1_000_000, ar.result().copy().put("errors", ar.result()
                    .getJsonArray("errors").size()));
            Responses.json(ctx, 200, ar.result());
            return;
          }
          body.discard();
          if (ar.cause() instanceof UploadFailure f) {
            refuse(ctx, f.error());
          } else if (ar.cause() instanceof CampaignIntake.Refused r) {
            refuse(ctx, r.error());
          } else if (ar.cause() instanceof dev.esprouter.ingress.templates.TemplateRefusal r) {
            refuse(ctx, r.error());
          } else {
            log.warn("campaign {}: upload failed, nothing stored: {}", id, ar.cause().toString());
            ctx.response().putHeader("connection", "close");
            Responses.unavailable(ctx, CampaignsApi.RETRY_AFTER_SECONDS, "the upload could not be stored "
                + "(PostgreSQL unavailable or the connection failed); nothing was stored, retry");
          }
        });
  }

  private static void refuse(RoutingContext ctx, ApiError error) {
    HttpServerResponse res = ctx.response();
    if (!ctx.request().isEnded()) {
      res.putHeader("connection", "close");
    }
    error.send(res);
  }

  private static String mediaType(String header) {
    if (header == null) {
      return "";
    }
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static long parse(String n) {
    try {
      return Long.parseLong(n.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
