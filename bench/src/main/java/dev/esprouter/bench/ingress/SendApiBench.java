package dev.esprouter.bench.ingress;

import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.ingress.IngressRole;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.testkit.SharedKafka;
import dev.esprouter.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The send API under load, in one process: a private Kafka broker, a fresh PostgreSQL database and
 * the ingress role started as the app starts it, then three measurements with a Vert.x HTTP client:
 * <ol>
 *   <li>closed loop: {@code POST /v1/messages} over 64 connections, each sending its next request
 *   as soon as the previous one is answered (throughput);</li>
 *   <li>open loop: requests sent on a fixed schedule (default 2,000/s) whatever the answers do,
 *   latency measured from the scheduled time (so queueing is not hidden), HdrHistogram p50/p99;</li>
 *   <li>time to accept a 10,000-recipient batch, sequentially, p50.</li>
 * </ol>
 * {@code bench/run dev.esprouter.bench.ingress.SendApiBench [seconds=15] [rate=2000] [batches=12]
 * [parts=closed,open,batch]}; {@code ESP_BENCH_WARMUP_S} (default 120) sets the closed-loop warm-up.
 * The broker, PostgreSQL, the server and this load generator share the machine's cores.
 */
public final class SendApiBench {

  private static final String KEY = "esk_live_benchmarkkey000000000000000000000000";
  /** Batches before the measured ones: the singles' warm-up does not compile the batch path. */
  private static final int BATCH_WARMUP = 10;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int batches = args.length > 2 ? Integer.parseInt(args[2]) : 12;
    String parts = args.length > 3 ? args[3] : "closed,open,batch";
    int port = Integer.parseInt(System.getenv().getOrDefault("ESP_BENCH_PORT", "18200"));
    int warmup = Integer.parseInt(System.getenv().getOrDefault("ESP_BENCH_WARMUP_S", "120"));

    // The generator's event loops start first, so their threads can be told from the server's.
    Vertx client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    Set<Long> generatorThreads = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 2; i++) {
      Promise<Void> seen = Promise.promise();
      client.getOrCreateContext().runOnContext(v -> {
        generatorThreads.add(Thread.currentThread().getId());
        seen.complete();
      });
      seen.future().await(10, TimeUnit.SECONDS);
    }
    CpuSplit cpu = new CpuSplit(generatorThreads);
    SharedKafka broker = SharedKafka.startPrivate();
    TestDatabase db = TestDatabase.create();
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("ESP_KAFKA_PARTITIONS", "6");
    env.put("PGHOST", db.settings().host());
    env.put("PGPORT", Integer.toString(db.settings().port()));
    env.put("PGDATABASE", db.name());
    env.put("PGUSER", db.settings().user());
    db.settings().password().ifPresent(p -> env.put("PGPASSWORD", p));
    env.put("ESP_HTTP_PORT", Integer.toString(port));
    env.put("ESP_ROLES", "ingress");
    env.put("ESP_BOOTSTRAP_API_KEY", KEY);
    env.put("ESP_TENANT_RATE_LIMIT_PER_SEC", "10000000");
    env.put("ESP_DB_POOL_SIZE", "16");
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("ESP_INGRESS_")) {
        env.put(k, v); // ingress settings to try, e.g. ESP_INGRESS_BATCH_WRITERS=1
      }
    });
    EspConfig config = EspConfig.from(ConfigReader.of(env));
    RunningRoles roles = RunningRoles.start(config, new IngressRole());
    try {
      HttpClientAgent http = client.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(port).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(512));
      Buffer message = message();
      // Warm-up: lets the JIT compile the hot paths. On 2 busy cores C2 is still compiling after 45 s
      // (broker, clients and server all in one JVM: ~0.5 core of C2 and ~250 µs per request); after
      // 120 s it is down to ~25 µs per request, so the figures are the server's steady state.
      closedLoop(http, message, warmup).await();
      if (parts.contains("closed")) {
        cpu.begin();
        Result closed = closedLoop(http, message, seconds).await();
        System.out.printf("closed loop, 64 connections, %d s: %.0f req/s, %d non-202, p50 %.2f ms, p99 %.2f ms%n",
            seconds, closed.count / (double) seconds, closed.errors, ms(closed.latency, 50), ms(closed.latency, 99));
        System.out.print(cpu.end(closed.count, seconds));
      }
      if (parts.contains("open")) {
        cpu.begin();
        Result open = openLoop(client, http, message, rate, seconds).await();
        System.out.printf("open loop, %d req/s scheduled, %d s: %d sent, %d non-202, p50 %.2f ms, p99 %.2f ms, "
              + "max %.2f ms%n", rate, seconds, open.count, open.errors, ms(open.latency, 50), ms(open.latency, 99),
            open.latency.getMaxValue() / 1e6);
        System.out.print(cpu.end(open.count, seconds));
      }
      if (parts.contains("batch")) {
        long t0 = System.nanoTime();
        cpu.begin();
        Histogram batch = batches(http, batches);
        String batchCpu = cpu.end(batches + BATCH_WARMUP, (System.nanoTime() - t0) / 1e9);
        System.out.printf("10,000-recipient batch, %d runs after %d warm-up: p50 %.1f ms, max %.1f ms%n",
            batch.getTotalCount(), BATCH_WARMUP, ms(batch, 50), batch.getMaxValue() / 1e6);
        System.out.print(batchCpu.replace("µs/req", "µs/batch"));
      }
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
      roles.close();
      db.close();
      broker.close();
    }
    System.exit(0);
  }

  private record Result(long count, long errors, Histogram latency) {
  }

  private static Future<Result> closedLoop(HttpClientAgent http, Buffer body, int seconds) {
    Histogram h = new Histogram(3);
    AtomicLong count = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      Promise<Void> done = Promise.promise();
      loop(http, body, end, h, count, errors, done);
      loops.add(done.future());
    }
    return Future.all(loops).map(v -> new Result(count.get(), errors.get(), h));
  }

  private static void loop(HttpClientAgent http, Buffer body, long end, Histogram h, AtomicLong count,
                           AtomicLong errors, Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    long start = System.nanoTime();
    send(http, body).onComplete(ar -> {
      synchronized (h) {
        h.recordValue(System.nanoTime() - start);
      }
      count.incrementAndGet();
      if (ar.failed() || ar.result() != 202) {
        errors.incrementAndGet();
      }
      loop(http, body, end, h, count, errors, done);
    });
  }

  /** Sends on a fixed schedule; each latency counts from when the request was due, not when it went out. */
  private static Future<Result> openLoop(Vertx vertx, HttpClientAgent http, Buffer body, int rate, int seconds) {
    Histogram h = new Histogram(3);
    AtomicLong errors = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    long total = (long) rate * seconds;
    long start = System.nanoTime();
    long intervalNs = 1_000_000_000L / rate;
    Promise<Result> done = Promise.promise();
    long[] issued = {0};
    vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      while (issued[0] < total && start + issued[0] * intervalNs <= now) {
        long due = start + issued[0] * intervalNs;
        issued[0]++;
        send(http, body).onComplete(ar -> {
          synchronized (h) {
            h.recordValue(Math.max(0, System.nanoTime() - due));
          }
          if (ar.failed() || ar.result() != 202) {
            errors.incrementAndGet();
          }
          if (answered.incrementAndGet() == total) {
            done.complete(new Result(total, errors.get(), h));
          }
        });
      }
      if (issued[0] >= total) {
        vertx.cancelTimer(id);
      }
    });
    return done.future();
  }

  private static Histogram batches(HttpClientAgent http, int runs) throws Exception {
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < 10_000; i++) {
      recipients.add(new JsonObject().put("to", "user" + i + "@example.com").put("data", new JsonObject().put("name", "U" + i)));
    }
    Buffer body = new JsonObject().put("channel", "email").put("from", "Shop <noreply@shop.example>")
        .put("subject", "Hi {{name}}").put("html", "<p>Winter sale, {{name}}</p>").put("recipients", recipients).toBuffer();
    Histogram h = new Histogram(3);
    for (int i = 0; i < runs + BATCH_WARMUP; i++) {
      long start = System.nanoTime();
      int status = send(http, body, "/v1/batches").await(60, TimeUnit.SECONDS);
      if (status != 202) {
        throw new IllegalStateException("batch answered " + status);
      }
      if (i >= BATCH_WARMUP) {
        h.recordValue(System.nanoTime() - start);
      }
    }
    return h;
  }

  private static Future<Integer> send(HttpClientAgent http, Buffer body) {
    return send(http, body, "/v1/messages");
  }

  private static Future<Integer> send(HttpClientAgent http, Buffer body, String path) {
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
            .putHeader("Authorization", "Bearer " + KEY).putHeader("content-type", "application/json"))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()));
  }

  private static Buffer message() {
    return new JsonObject().put("channel", "email").put("to", "alice@example.com")
        .put("from", "Shop <noreply@shop.example>").put("subject", "Order {{order_id}} confirmed")
        .put("html", "<p>Hi {{name}}, your order {{order_id}} is confirmed.</p>").put("text", "Hi {{name}}")
        .put("data", new JsonObject().put("name", "Alice").put("order_id", "A-17"))
        .put("metadata", new JsonObject().put("order_id", "A-17")).toBuffer();
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e6;
  }
}
