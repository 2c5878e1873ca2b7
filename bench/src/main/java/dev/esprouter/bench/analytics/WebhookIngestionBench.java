package dev.esprouter.bench.analytics;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.common.KafkaTopics;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.sendgrid.SendGridWebhookSigner;
import dev.esprouter.providers.sendgrid.SendGridWebhookVerifier;
import dev.esprouter.webhooks.WebhooksRole;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.testkit.SharedKafka;
import dev.esprouter.testkit.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Webhook ingestion into PostgreSQL: SendGrid-style arrays of 1000 events (what one verified POST
 * becomes in {@code webhooks.sendgrid}) consumed by the analytics role as the app runs it (real
 * parser, one transaction per poll) into message statuses, the event timeline and provider stats.
 * Goal: ≥ 30k events/s. Runs on a private broker and a fresh database; every message gets a
 * {@code delivered} and then an {@code open} event.
 *
 * <ul>
 *   <li>{@code kafka} (default): the records are produced before the role starts, so the figure is the
 *   consumer's throughput, Kafka → PostgreSQL.</li>
 *   <li>{@code http}: end to end. The webhooks and analytics roles run together; signed SendGrid
 *   POSTs go to {@code /webhooks/sendgrid} ({@code concurrency} at a time) and the clock runs from the
 *   first POST until the last event is in PostgreSQL. Client, endpoint, broker, consumer and
 *   PostgreSQL share the machine.</li>
 * </ul>
 * Both report the CPU each side spent per event (this JVM, the database's backends, every postgres
 * process), the rows written and the WAL per event.
 *
 * <p>{@code bench/run dev.esprouter.bench.analytics.WebhookIngestionBench [events=300000] [kafka|http]
 * [concurrency=4]}; {@code ESP_ANALYTICS_*} variables (e.g. {@code ESP_ANALYTICS_WRITERS}) reach the role.
 */
public final class WebhookIngestionBench {

  private static final int PER_POST = 1000;

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    boolean http = args.length > 1 && args[1].equals("http");
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int messages = events / 2;
    try (SharedKafka kafka = SharedKafka.startPrivate(); TestDatabase db = TestDatabase.create()) {
      EspConfig config = config(kafka, db, http);
      KafkaTopics.ensureBlocking(config.kafka(), new Topics(""));
      db.sql("insert into tenants (id, name) values ('ten_bench', 'bench')");
      if (System.getenv("ESP_BENCH_LOG_SLOW_MS") != null) {
        db.sql("alter database " + db.name() + " set log_min_duration_statement = " + System.getenv("ESP_BENCH_LOG_SLOW_MS"));
      }
      // The messages as ingress accepted them and as the status writer left them after the router's sent facts.
      db.sql("insert into messages (id, tenant_id, channel, recipient) "
          + "select 'msg_' || g, 'ten_bench', 'email', 'r' || g || '@example.com' from generate_series(1, " + messages
          + ") g");
      db.sql("insert into message_status (id, tenant_id, batch_id, status, provider, provider_message_id, attempts, "
          + "sent_at) select 'msg_' || g, 'ten_bench', 'bat_bench', 'sent', 'sendgrid', 'x' || (g / 1000), 1, now() "
          + "from generate_series(1, " + messages + ") g");
      db.sql("insert into batch_counters (batch_id, status, provider, n) values ('bat_bench', 'sent', 'sendgrid', "
          + messages + ")");
      db.sql("vacuum analyze messages");
      db.sql("vacuum analyze message_status");
      List<Buffer> posts = posts(messages);
      if (!http) {
        produce(config, posts);
        System.out.printf("produced %d events in %d records of %d%n", messages * 2, posts.size(), PER_POST);
      }
      PostgresCost pg = new PostgresCost(db);
      long started = System.nanoTime();
      try (RunningRoles roles = http ? RunningRoles.start(config, new WebhooksRole(), new AnalyticsRole())
          : RunningRoles.start(config, new AnalyticsRole())) {
        long rolesUp = System.nanoTime();
        PostgresCost.Snapshot before = pg.snapshot();
        long cpuBefore = processCpuNanos();
        JvmThreadCpu.Snapshot threadsBefore = JvmThreadCpu.snapshot();
        long[] lastAck = new long[1];
        if (http) {
          post(roles, posts, concurrency, lastAck);
        }
        long first = 0;
        while (recorded(roles) < messages * 2L) {
          if (first == 0 && recorded(roles) > 0) {
            first = System.nanoTime();
          }
          if (System.nanoTime() - started > 300_000_000_000L) {
            throw new IllegalStateException("not done after 300 s: " + recorded(roles) + " events recorded");
          }
          Thread.sleep(20);
        }
        long done = System.nanoTime();
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        JvmThreadCpu.Snapshot threadsAfter = JvmThreadCpu.snapshot();
        Thread.sleep(1500); // table statistics reach pg_stat_user_tables within a second
        PostgresCost.Snapshot after = pg.snapshot();
        long total = messages * 2L;
        double fromUp = (done - rolesUp) / 1e9;
        if (http) {
          System.out.printf("end to end: %d events in %d signed POSTs of %d at concurrency %d: %.2f s from the first "
                  + "POST to the last event in PostgreSQL = %.0f events/s (POSTs all acked after %.2f s = %.0f events/s)%n",
              total, posts.size(), PER_POST, concurrency, fromUp, total / fromUp, (lastAck[0] - rolesUp) / 1e9,
              total / ((lastAck[0] - rolesUp) / 1e9));
        } else {
          double fromFirst = (done - (first == 0 ? rolesUp : first)) / 1e9;
          System.out.printf("recorded %d events: %.2f s after the role started (%.0f events/s incl. group join), "
              + "%.2f s from the first recorded poll (%.0f events/s)%n", total, fromUp, total / fromUp,
              fromFirst, total / fromFirst);
        }
        System.out.printf("this JVM (%s): %.1f CPU-s = %.1f µs/event (%.2f cores)%n", http
            ? "client, webhooks, broker, analytics" : "broker, analytics", cpu, cpu * 1e6 / total, cpu / fromUp);
        System.out.println(JvmThreadCpu.describe(threadsBefore, threadsAfter, total));
        System.out.println(pg.describe(before, after, total, fromUp));
        System.out.printf("load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
      }
      System.out.printf("check: %d timeline rows, %d messages opened, stats delivered+opened = %d%n",
          db.count("select count(*) from message_events"),
          db.count("select count(*) from message_status where status = 'opened'"),
          db.count("select sum(delivered + opened) from provider_stats"));
    }
    System.exit(0);
  }

  private static EspConfig config(SharedKafka kafka, TestDatabase db, boolean http) {
    Map<String, String> env = new HashMap<>(db.connectionEnv());
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("ESP_KAFKA_PARTITIONS", "6");
    env.put("ESP_HTTP_PORT", System.getenv().getOrDefault("ESP_BENCH_HTTP_PORT", "18510"));
    env.put("ESP_HTTP_INSTANCES", http ? "2" : "1");
    env.put("ESP_PROVIDERS_MODE", "sandbox"); // the sandbox's SendGrid webhook key verifies the signed POSTs
    env.put("ESP_ROLES", http ? "webhooks,analytics" : "analytics");
    // ESP_ANALYTICS_WRITERS and the other analytics settings can be varied from the command line.
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("ESP_ANALYTICS_")) {
        env.put(k, v);
      }
    });
    return EspConfig.from(ConfigReader.of(env));
  }

  /** Each message gets a delivered and then an open event; one body holds one POST of 1000 events. */
  private static List<Buffer> posts(int messages) {
    long now = System.currentTimeMillis() / 1000;
    List<Buffer> posts = new ArrayList<>();
    JsonArray post = new JsonArray();
    for (String event : new String[] {"delivered", "open"}) {
      for (int i = 1; i <= messages; i++) {
        post.add(new JsonObject().put("email", "r" + i + "@example.com").put("timestamp", now).put("event", event)
            .put("sg_event_id", event + "-" + i).put("sg_message_id", "x" + (i / 1000) + ".filter0001.1.2.0")
            .put("esp_message_id", "msg_" + i).put("category", new JsonArray().add("bench")));
        if (post.size() == PER_POST) {
          posts.add(post.toBuffer());
          post = new JsonArray();
        }
      }
    }
    return posts;
  }

  /** What the webhooks role produces for a verified POST: the body, keyed by provider, with the receive time. */
  private static void produce(EspConfig config, List<Buffer> posts) throws Exception {
    Map<String, Object> props = new HashMap<>(config.kafka().producerConfig("bench"));
    String topic = new Topics("").webhooks(ProviderName.SENDGRID);
    try (KafkaProducer<String, Buffer> producer = new KafkaProducer<>(props)) {
      List<Future<?>> sent = new ArrayList<>();
      for (Buffer body : posts) {
        ProducerRecord<String, Buffer> r = new ProducerRecord<>(topic, "sendgrid", body);
        r.headers().add("esp-received-at", Long.toString(System.currentTimeMillis()).getBytes());
        sent.add(producer.send(r));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    }
  }

  /**
   * POSTs every body, signed as SendGrid signs, {@code concurrency} at a time, and returns once all
   * are acknowledged (200 after the Kafka ack); records the time of the last ack.
   */
  private static void post(RunningRoles roles, List<Buffer> posts, int concurrency, long[] lastAck)
      throws Exception {
    SendGridWebhookSigner signer = SendGridWebhookSigner.fromBase64(SandboxSecrets.SENDGRID_PRIVATE_KEY);
    String ts = Long.toString(Instant.now().getEpochSecond());
    List<String> signatures = posts.stream().map(b -> signer.sign(ts, b)).toList();
    int port = roles.config().httpPort();
    Vertx client = Vertx.vertx();
    try {
      HttpClientAgent http = client.createHttpClient(new HttpClientOptions().setDefaultPort(port)
          .setDefaultHost("127.0.0.1").setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));
      AtomicInteger next = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(concurrency);
      for (int c = 0; c < concurrency; c++) {
        postNext(http, posts, signatures, ts, port, next, failed, done);
      }
      if (!done.await(240, TimeUnit.SECONDS)) {
        throw new IllegalStateException("POSTs not done after 240 s");
      }
      lastAck[0] = System.nanoTime();
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " POSTs failed");
      }
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void postNext(HttpClientAgent http, List<Buffer> posts, List<String> signatures, String ts, int port,
                               AtomicInteger next, AtomicInteger failed, CountDownLatch done) {
    int i = next.getAndIncrement();
    if (i >= posts.size()) {
      done.countDown();
      return;
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/webhooks/sendgrid")
        .putHeader("content-type", "application/json")
        .putHeader(SendGridWebhookVerifier.SIGNATURE_HEADER, signatures.get(i))
        .putHeader(SendGridWebhookVerifier.TIMESTAMP_HEADER, ts);
    http.request(options)
        .compose(req -> req.send(posts.get(i)))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          if (!ar.succeeded() || ar.result() != 200) {
            if (failed.incrementAndGet() <= 3) {
              System.out.println("POST failed: " + (ar.succeeded() ? "HTTP " + ar.result() : ar.cause()));
            }
          }
          postNext(http, posts, signatures, ts, port, next, failed, done);
        });
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long recorded(RunningRoles roles) {
    return (long) roles.registry().find("esp_analytics_events_total").counters().stream()
        .mapToDouble(Counter::count).sum();
  }
}
