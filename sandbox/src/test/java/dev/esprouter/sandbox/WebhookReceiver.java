package dev.esprouter.sandbox;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A real HTTP server standing in for the router's webhook endpoints: it keeps every POST it gets. */
final class WebhookReceiver implements AutoCloseable {

  record Received(String path, MultiMap headers, Buffer body) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile long lastPostNanos = System.nanoTime();
  private final AtomicInteger status = new AtomicInteger(200);
  private final HttpServer server;

  WebhookReceiver() {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      received.add(new Received(req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body));
      lastPostNanos = System.nanoTime();
      req.response().setStatusCode(status.get()).end();
    })).listen(0, "127.0.0.1").await();
  }

  String base() {
    return "http://127.0.0.1:" + server.actualPort() + "/webhooks";
  }

  /** Forgets what was received so far. */
  /** Nanoseconds since the last POST arrived. */
  long quietNanos() {
    return System.nanoTime() - lastPostNanos;
  }

  void clear() {
    received.clear();
  }

  /** The status every later webhook is answered with. */
  void answerWith(int code) {
    status.set(code);
  }

  List<Received> posts(String provider) {
    List<Received> out = new ArrayList<>();
    for (Received r : received) {
      if (r.path().equals("/webhooks/" + provider)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Waits (up to 20 s) until the posts to {@code provider} satisfy {@code done}, and returns them. */
  List<Received> await(String provider, Predicate<List<Received>> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      List<Received> posts = posts(provider);
      if (done.test(posts)) {
        return posts;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("webhooks to " + provider + " did not arrive: got " + posts(provider).size() + " posts");
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
