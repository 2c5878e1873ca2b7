package dev.esprouter.router.it;

import dev.esprouter.common.ProviderName;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP stand-in for the six providers' send endpoints (each under /{provider}), answering
 * in each provider's success shape and recording which router message ids each provider accepted.
 * Per provider it can answer a fixed error status, throttle with 429, refuse connections, or hold
 * requests unanswered until {@link #release()} (a slow provider keeping the router's slots busy). Used
 * until the shared sandbox is on this branch; the assertions read only its record.
 */
final class ProviderStandIn implements AutoCloseable {

  enum Mode { OK, ERROR_503, THROTTLE_429, DOWN, HOLD }

  final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Map<ProviderName, Mode> modes = new ConcurrentHashMap<>();
  private final Map<ProviderName, Map<String, AtomicInteger>> accepted = new ConcurrentHashMap<>();
  private final Map<ProviderName, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final List<Runnable> held = new java.util.concurrent.CopyOnWriteArrayList<>();

  ProviderStandIn() {
    for (ProviderName p : ProviderName.values()) {
      modes.put(p, Mode.OK);
      accepted.put(p, new ConcurrentHashMap<>());
      requests.put(p, new AtomicInteger());
    }
    try {
      server = vertx.createHttpServer().requestHandler(this::handle).listen(0).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  int port() {
    return server.actualPort();
  }

  /** {@code <PROVIDER>_BASE_URL} for each provider, pointing here. */
  Map<String, String> baseUrls() {
    Map<String, String> m = new java.util.HashMap<>();
    for (ProviderName p : ProviderName.values()) {
      m.put(p.envPrefix() + "_BASE_URL", "http://127.0.0.1:" + port() + "/" + p.wire());
    }
    return m;
  }

  void mode(ProviderName p, Mode m) {
    modes.put(p, m);
  }

  /** Router message ids accepted by the provider, each with how many times. */
  Map<String, AtomicInteger> accepted(ProviderName p) {
    return accepted.get(p);
  }

  int requests(ProviderName p) {
    return requests.get(p).get();
  }

  /** Requests held unanswered (mode HOLD) so far. */
  int held() {
    return held.size();
  }

  /** Answers every held request as accepted. */
  void release() {
    List<Runnable> now = new ArrayList<>(held);
    held.removeAll(now);
    now.forEach(r -> vertx.runOnContext(v -> r.run()));
  }

  int total() {
    return accepted.values().stream().mapToInt(Map::size).sum();
  }

  int duplicates() {
    int d = 0;
    for (Map<String, AtomicInteger> m : accepted.values()) {
      for (AtomicInteger n : m.values()) {
        d += n.get() - 1;
      }
    }
    return d;
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    ProviderName p = ProviderName.fromWire(path.split("/")[1]);
    if (p == null) {
      req.response().setStatusCode(404).end();
      return;
    }
    Mode mode = modes.get(p);
    if (mode == Mode.DOWN) {
      req.connection().close();
      return;
    }
    req.body().onSuccess(body -> {
      requests.get(p).incrementAndGet();
      if (mode == Mode.HOLD) {
        held.add(() -> accept(p, body, req));
      } else if (mode == Mode.ERROR_503) {
        req.response().setStatusCode(503).end("{\"errors\":[{\"message\":\"unavailable\"}]}");
      } else if (mode == Mode.THROTTLE_429) {
        req.response().setStatusCode(429).putHeader("Retry-After", "1")
            .end(p == ProviderName.TELEGRAM ? "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests\","
                + "\"parameters\":{\"retry_after\":1}}" : "{\"errors\":[{\"message\":\"too many requests\"}]}");
      } else {
        accept(p, body, req);
      }
    });
  }

  private void accept(ProviderName p, Buffer body, HttpServerRequest req) {
    List<String> got = new ArrayList<>();
    String pid = "pid-" + ids.incrementAndGet();
    switch (p) {
      case SENDGRID -> {
        JsonArray ps = body.toJsonObject().getJsonArray("personalizations");
        ps.forEach(o -> got.add(((JsonObject) o).getJsonObject("custom_args").getString("esp_message_id")));
        record(p, got);
        req.response().setStatusCode(202).putHeader("X-Message-Id", pid).end();
      }
      case POSTMARK -> {
        JsonArray out = new JsonArray();
        for (Object o : body.toJsonArray()) {
          JsonObject m = (JsonObject) o;
          if (m.getString("To").startsWith("inactive")) {
            out.add(new JsonObject().put("ErrorCode", 406).put("Message", "inactive recipient"));
          } else {
            got.add(m.getJsonObject("Metadata").getString("esp_message_id"));
            out.add(new JsonObject().put("ErrorCode", 0).put("Message", "OK").put("MessageID", pid + "-" + got.size())
                .put("To", m.getString("To")));
          }
        }
        record(p, got);
        req.response().setStatusCode(200).end(out.encode());
      }
      case SOCKETLABS -> {
        JsonObject m = body.toJsonObject().getJsonArray("Messages").getJsonObject(0);
        for (Object row : m.getJsonObject("MergeData").getJsonArray("PerMessage")) {
          for (Object f : (JsonArray) row) {
            if ("EspMessageId".equals(((JsonObject) f).getString("Field"))) {
              got.add(((JsonObject) f).getString("Value"));
            }
          }
        }
        record(p, got);
        req.response().setStatusCode(200).end(new JsonObject().put("ErrorCode", "Success")
            .put("TransactionReceipt", pid).put("MessageResults", new JsonArray()).encode());
      }
      case SPARKPOST -> {
        body.toJsonObject().getJsonArray("recipients").forEach(o ->
            got.add(((JsonObject) o).getJsonObject("metadata").getString("esp_message_id")));
        record(p, got);
        req.response().setStatusCode(200).end(new JsonObject().put("results", new JsonObject()
            .put("id", pid).put("total_accepted_recipients", got.size()).put("total_rejected_recipients", 0)).encode());
      }
      case META -> {
        got.add(body.toJsonObject().getString("biz_opaque_callback_data"));
        record(p, got);
        req.response().setStatusCode(200).end(new JsonObject().put("messaging_product", "whatsapp")
            .put("messages", new JsonArray().add(new JsonObject().put("id", "wamid." + pid))).encode());
      }
      case TELEGRAM -> {
        got.add(String.valueOf(body.toJsonObject().getValue("chat_id")));
        record(p, got);
        req.response().setStatusCode(200).end(new JsonObject().put("ok", true)
            .put("result", new JsonObject().put("message_id", ids.get())).encode());
      }
      default -> req.response().setStatusCode(404).end();
    }
  }

  private void record(ProviderName p, List<String> got) {
    for (String id : got) {
      accepted.get(p).computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}
