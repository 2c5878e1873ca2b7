package dev.esprouter.sandbox.core;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts every provider's webhooks to {@code <webhook base>/<provider>} on one event loop of its own:
 * each tick it takes the recipients that are due, renders them in the provider's format and
 * batching, and posts them, within token buckets of events and of POSTs per second shared by all
 * providers and a bounded number of POSTs in flight per provider. A non-2xx answer or a failed connection is
 * retried with exponential backoff like the real providers do; after the last attempt the events
 * are counted as {@code webhooks_failed}.
 */
public final class WebhookEmitter extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(WebhookEmitter.class);
  /** A failing receiver is reported at most this often per provider, not once per POST. */
  private static final long WARN_EVERY_MS = 60_000;

  private final List<Lane> lanes = new ArrayList<>();
  private final WebhookSettings settings;
  private HttpClient client;
  private long timer = -1;
  private double tokens;
  private double postTokens;
  private long lastRefillMs;
  private int start;

  public WebhookEmitter(List<SendPipeline> pipelines, String webhookBase, WebhookSettings settings) {
    this.settings = settings;
    for (SendPipeline p : pipelines) {
      lanes.add(new Lane(p.lane(), webhookBase + "/" + p.dialect().name().wire()));
    }
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000)
            .setIdleTimeout(30),
        new PoolOptions().setHttp1MaxSize(settings.maxInflightPerProvider() * lanes.size()));
    lastRefillMs = System.currentTimeMillis();
    tokens = burst();
    postTokens = postBurst();
    timer = vertx.setPeriodic(settings.flushIntervalMs(), t -> pump());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return client == null ? Future.succeededFuture() : client.close();
  }

  private double burst() {
    // One second of the rate, but never less than the events of one recipient (up to four).
    return Math.max(settings.ratePerSec(), 4);
  }

  private double postBurst() {
    return Math.max(settings.postsPerSec(), 4);
  }

  private void pump() {
    long now = System.currentTimeMillis();
    tokens = Math.min(burst(), tokens + (now - lastRefillMs) * settings.ratePerSec() / 1000.0);
    postTokens = Math.min(postBurst(), postTokens + (now - lastRefillMs) * settings.postsPerSec() / 1000.0);
    lastRefillMs = now;
    boolean progress = true;
    while (progress && tokens >= 1 && postTokens >= 1) {
      progress = false;
      for (int i = 0; i < lanes.size(); i++) {
        Lane lane = lanes.get((start + i) % lanes.size());
        if (lane.postsInFlight >= settings.maxInflightPerProvider() || tokens < 1 || postTokens < 1) {
          continue;
        }
        WebhookFormat format = lane.queue.format();
        List<Pending> due = lane.queue.takeDue(now, format.recipientsPerPost(), (long) tokens);
        if (due.isEmpty()) {
          continue;
        }
        progress = true;
        for (WebhookPost post : format.render(due, now)) {
          tokens -= post.events();
          postTokens--;
          lane.postsInFlight++;
          lane.queue.inflight(post.events());
          post(lane, post, 1, lane.queue.record().generation);
        }
      }
    }
    start = (start + 1) % lanes.size();
  }

  private void post(Lane lane, WebhookPost post, int attempt, int generation) {
    if (lane.queue.record().generation != generation) {
      // A reset since: these webhooks belong to a record that no longer exists.
      done(lane, post);
      return;
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(lane.uri)
        .setIdleTimeout(10_000);
    post.headers().forEach(options::putHeader);
    client.request(options)
        .compose(req -> req.send(post.body()))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> answered(lane, post, attempt, generation, ar.succeeded() ? ar.result() : -1,
            ar.succeeded() ? null : ar.cause()));
  }

  /** Counts a 2xx; otherwise tries again after a backoff, or counts the events as failed after the last attempt. */
  private void answered(Lane lane, WebhookPost post, int attempt, int generation, int status, Throwable failure) {
    ProviderRecord record = lane.queue.record();
    boolean current = record.generation == generation;
    if (status >= 200 && status < 300) {
      if (current) {
        record.webhooksSent.add(post.events());
      }
      done(lane, post);
      return;
    }
    if (warnDue(lane)) {
      log.warn("sandbox: webhook to {} answered {} (attempt {} of {})", lane.uri,
          failure == null ? Integer.toString(status) : failure.toString(), attempt, settings.maxAttempts());
    }
    if (current && attempt < settings.maxAttempts() && (status < 0 || lane.queue.format().retriesAfter(status))) {
      long backoff = settings.retryBaseMs() << Math.min(attempt - 1, 20);
      vertx.setTimer(backoff, t -> post(lane, post, attempt + 1, generation));
      return;
    }
    if (current) {
      record.webhooksFailed.add(post.events());
    }
    done(lane, post);
  }

  private static boolean warnDue(Lane lane) {
    long now = System.currentTimeMillis();
    if (now - lane.lastWarnMs < WARN_EVERY_MS) {
      return false;
    }
    lane.lastWarnMs = now;
    return true;
  }

  private static void done(Lane lane, WebhookPost post) {
    lane.postsInFlight--;
    lane.queue.inflight(-post.events());
  }

  /** One provider's queue and the POSTs it has in flight (touched only on this verticle's event loop). */
  private static final class Lane {
    final WebhookLane queue;
    final String uri;
    int postsInFlight;
    long lastWarnMs = -WARN_EVERY_MS;

    Lane(WebhookLane queue, String uri) {
      this.queue = queue;
      this.uri = uri;
    }
  }
}
