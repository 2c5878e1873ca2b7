package dev.esprouter.bench.pipeline;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.bench.router.DrainCpu;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.ingress.IngressRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.testkit.SharedKafka;
import dev.esprouter.testkit.TestDatabase;
import io.vertx.core.Future;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole send path through the API, in one process (broker, PostgreSQL database, sandbox with
 * webhooks off, ingress, router, status writer): N recipients POSTed as 10,000-recipient batches,
 * {@code concurrency} at a time, until every recipient is provider-accepted with status {@code sent}
 * (the status writer's batch counters) — ingress rows, Kafka, the router's ledger and calls, the
 * facts and the statuses. Prints recipients/s and the CPU per recipient by component, PostgreSQL's
 * split by application (ingress on the shared pool, the router's ledger, the status writer).
 *
 * <pre>ESP_BENCH_JAVA_OPTS=-Xmx1g bench/run dev.esprouter.bench.pipeline.PipelineBench 300000 4</pre>
 */
public final class PipelineBench {

  private static final String KEY = "esk_live_pipelinebench000000000000000000000000";
  private static final int PER_BATCH = 10_000;

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int warmup = Integer.parseInt(System.getenv().getOrDefault("ESP_BENCH_WARMUP_BATCHES", "6"));
    int port = Integer.parseInt(System.getenv().getOrDefault("ESP_BENCH_PORT", "18400"));

    SharedKafka kafka = SharedKafka.startPrivate();
    TestDatabase db = TestDatabase.create();
    SandboxServer sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(3));
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("webhooks", false));
    }
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("ESP_KAFKA_PARTITIONS", "12");
    env.put("PGHOST", db.settings().host());
    env.put("PGPORT", Integer.toString(db.settings().port()));
    env.put("PGDATABASE", db.name());
    env.put("PGUSER", db.settings().user());
    db.settings().password().ifPresent(p -> env.put("PGPASSWORD", p));
    env.put("ESP_HTTP_PORT", Integer.toString(port));
    env.put("ESP_ROLES", "ingress,router,analytics");
    env.put("ESP_PROVIDERS_MODE", "sandbox");
    env.put("ESP_BOOTSTRAP_API_KEY", KEY);
    env.put("ESP_TENANT_RATE_LIMIT_PER_SEC", "10000000");
    for (ProviderName p : ProviderName.values()) {
      env.put(p.envPrefix() + "_BASE_URL", sandbox.baseUrl(p));
      env.put(p.envPrefix() + "_RATE_PER_SEC", "5000");
      env.put(p.envPrefix() + "_BURST", "500");
    }
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("ESP_") && !k.startsWith("ESP_BENCH_")) {
        env.put(k, v);
      }
    });
    EspConfig config = EspConfig.from(ConfigReader.of(env));
    RunningRoles roles = RunningRoles.start(config, new AnalyticsRole(), new RouterRole(), new IngressRole());
    Vertx client = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClientAgent http = client.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(concurrency));

    // Warm-up: the same path end to end, so the JIT has compiled it before the measured batches.
    List<String> warm = post(http, warmup, Math.min(concurrency, 2), "warm");
    awaitSent(db, warm, (long) warm.size() * PER_BATCH, 300_000);

    int batches = (total + PER_BATCH - 1) / PER_BATCH;
    DrainCpu cpu = DrainCpu.begin(db.name());
    long start = System.nanoTime();
    List<String> ids = post(http, batches, concurrency, "run");
    long posted = System.nanoTime();
    awaitSent(db, ids, (long) batches * PER_BATCH, 600_000);
    long done = System.nanoTime();
    DrainCpu.Split split = cpu.end(applications(db));
    long recipients = (long) batches * PER_BATCH;
    double seconds = (done - start) / 1e9;
    System.out.printf("%npipeline bench: %d recipients POSTed as %d batches of %d, %d at a time, cores %d%n",
        recipients, batches, PER_BATCH, concurrency, Runtime.getRuntime().availableProcessors());
    System.out.printf("  all POSTs answered 202 after %.2f s; every recipient provider-accepted with status sent after "
        + "%.2f s -> %.0f recipients/s; sandbox duplicates %d%n", (posted - start) / 1e9, seconds, recipients / seconds,
        sandbox.stats().duplicates());
    split.print(recipients);
    roles.close();
    client.close();
    sandbox.close();
    db.close();
    kafka.close();
    System.exit(0);
  }

  /** POSTs {@code n} batches, {@code concurrency} in flight; returns their ids. */
  private static List<String> post(HttpClientAgent http, int n, int concurrency, String tag) throws Exception {
    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      lanes.add(lane(http, n, next, ids, tag));
    }
    Future.all(lanes).await(600, TimeUnit.SECONDS);
    return ids;
  }

  private static Future<Void> lane(HttpClientAgent http, int n, AtomicInteger next, List<String> ids, String tag) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return Future.succeededFuture();
    }
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/batches")
            .putHeader("Authorization", "Bearer " + KEY).putHeader("content-type", "application/json"))
        .compose(req -> req.send(batch(tag + i)))
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 202) {
            throw new IllegalStateException("batch answered " + resp.statusCode() + ": " + b);
          }
          ids.add(new JsonObject(b).getString("batch_id"));
          return null;
        }))
        .compose(v -> lane(http, n, next, ids, tag));
  }

  private static Buffer batch(String tag) {
    JsonArray recipients = new JsonArray(new ArrayList<>(PER_BATCH));
    for (int i = 0; i < PER_BATCH; i++) {
      recipients.add(new JsonObject().put("to", "u" + i + "." + tag + "@example.com")
          .put("data", new JsonObject().put("name", "U" + i)));
    }
    return new JsonObject().put("channel", "email").put("from", "Shop <noreply@shop.example>")
        .put("subject", "Hi {{name}}").put("html", "<p>Winter sale, {{name}}</p>").put("priority", "normal")
        .put("recipients", recipients).toBuffer();
  }

  /** Waits until the batches' counters say {@code expected} recipients are sent. */
  private static void awaitSent(TestDatabase db, List<String> batchIds, long expected, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    try (Connection c = TestDatabase.connect(db.settings());
         java.sql.PreparedStatement ps = c.prepareStatement("select coalesce(sum(n), 0) from batch_counters "
             + "where batch_id = any(?) and status = 'sent'")) {
      ps.setArray(1, c.createArrayOf("text", batchIds.toArray()));
      while (true) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) >= expected) {
            return;
          }
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("not all sent within " + timeoutMs + " ms");
        }
        Thread.sleep(100);
      }
    }
  }

  private static Map<Integer, String> applications(TestDatabase db) {
    Map<Integer, String> out = new HashMap<>();
    try (Connection c = TestDatabase.connect(db.settings()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select pid, application_name from pg_stat_activity where datname = '"
             + db.name() + "'")) {
      while (rs.next()) {
        out.put(rs.getInt(1), rs.getString(2));
      }
    } catch (Exception e) {
      System.out.println("  (pg_stat_activity unreadable: " + e + ")");
    }
    return out;
  }
}
