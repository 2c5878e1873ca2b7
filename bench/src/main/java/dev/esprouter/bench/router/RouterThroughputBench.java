package dev.esprouter.bench.router;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Ids;
import dev.esprouter.common.KafkaTopics;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.testkit.SharedKafka;
import dev.esprouter.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.MemoryUsage;
import javax.management.openmbean.CompositeData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The router part of the pipeline, in one process: a private KRaft broker, a fresh PostgreSQL
 * database, the sandbox, the router role and the status writer (the analytics role, which turns the
 * router's facts into statuses). Produces the SendChunk records ingress would produce for one batch
 * of N recipients (chunks of 500, key = batch id, lane low) and measures: recipients/s from the
 * first record to the last recipient provider-accepted with status {@code sent} in PostgreSQL;
 * p50/p99 of high-priority single messages produced at 50/s while the batch drains (from the
 * produce acknowledgement to the router's {@code sent} fact time, {@code message_status.sent_at});
 * the heap (peak used, right after each GC, and live after a full GC at the end of the drain); the
 * CPU of the drain per component ({@link DrainCpu}), PostgreSQL's split between the router's ledger
 * and the status writer; the router's timers; and the bare PostgreSQL insert rate of the same rows
 * (500-row unnest statements into a copy of {@code messages} as it was, one row per recipient with
 * its status) measured in the same run. The batch is a recipe ({@code BatchShape}): chunks are
 * built as they are produced, so the benchmark holds no copy of it and the heap figures are the
 * pipeline's; completion is counted in SQL.
 *
 * <pre>ESP_BENCH_JAVA_OPTS=-Xmx512m flock /tmp/esp-bench.lock bench/run dev.esprouter.bench.router.RouterThroughputBench 100000</pre>
 */
public final class RouterThroughputBench {

  private static final int HTTP_PORT = 18300;
  /** Singles produced (each is one accepted email in the sandbox record, besides the batch). */
  private static final AtomicLong SINGLES = new AtomicLong();

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    AtomicLong peakHeap = new AtomicLong();
    AtomicLong peakLive = new AtomicLong();
    ScheduledExecutorService sampler = heapSampler(peakHeap);
    afterEveryGc(peakLive);

    SharedKafka kafka = SharedKafka.startPrivate();
    TestDatabase db = TestDatabase.create();
    SandboxServer sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(1));
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("webhooks", false));
    }
    EspConfig config = EspConfig.from(ConfigReader.of(environment(kafka, db, sandbox, HTTP_PORT, "router,analytics")));
    Topics topics = new Topics("");
    KafkaTopics.ensureBlocking(config.kafka(), topics);

    BatchShape batch = new BatchShape(Ids.batch(), total);
    Properties pp = new Properties();
    pp.put("bootstrap.servers", kafka.bootstrapServers());
    pp.put("acks", "all");
    pp.put("linger.ms", "5");
    pp.put("compression.type", "lz4");
    pp.put("max.request.size", "16777216");
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());

    RunningRoles router = RunningRoles.start(config, new RouterRole(), new AnalyticsRole());
    warmUp(producer, topics, db);
    String batchId = batch.batchId;
    Map<String, Long> singles = new ConcurrentHashMap<>();
    DrainCpu cpu = DrainCpu.begin(db.name());
    long start = System.currentTimeMillis();
    // Each chunk is built, serialized and dropped: the producer's bounded buffer (buffer.memory) is
    // all the benchmark holds of the batch, so the heap figures are the router's.
    for (int i = 0; i < batch.chunks(); i++) {
      SendChunk c = batch.chunk(i);
      producer.send(new ProducerRecord<>(topics.send(c.priority()), c.key(), c.toBuffer().getBytes()));
    }
    producer.flush();
    long produced = System.currentTimeMillis();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    ticker.scheduleAtFixedRate(() -> {
      SendChunk s = single();
      producer.send(new ProducerRecord<>(topics.send(Priority.HIGH), s.key(), s.toBuffer().getBytes()),
          (md, err) -> {
            if (err == null) {
              singles.put(s.recipients().get(0).messageId(), System.currentTimeMillis());
              SINGLES.incrementAndGet();
            }
          });
    }, 0, 20, TimeUnit.MILLISECONDS);

    // Progress is read from the sandbox's in-memory record, so the benchmark does not load PostgreSQL
    // with counting; the DB count is only checked (every 200 ms) once the sandbox has everything.
    long deadline = start + 600_000;
    long singlesOnlyUntil = total == 0 ? start + 10_000 : 0;
    while ((accepted(sandbox) < total || System.currentTimeMillis() < singlesOnlyUntil)
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    long sent = 0;
    try (Connection c = TestDatabase.connect(db.settings())) {
      do {
        sent = total == 0 ? 0 : count(c, "select coalesce(sum(n), 0) from batch_counters where batch_id = '" + batchId
            + "' and status = 'sent'");
        if (sent < total) {
          Thread.sleep(200);
        }
      } while (sent < total && System.currentTimeMillis() < deadline);
    }
    long done = System.currentTimeMillis();
    DrainCpu.Split split = cpu.end(applications(db));
    ticker.shutdown();
    ticker.awaitTermination(5, TimeUnit.SECONDS);
    Thread.sleep(2000);
    Histogram latency = singlesLatency(db, singles);
    long routerHeapPeak = peakHeap.get();
    long routerLivePeak = peakLive.get();
    // The live set with everything still running (router, broker, sandbox, producer): what a batch leaves behind.
    System.gc();
    long liveAtEnd = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    List<String> timers = timers(router);
    router.close();
    producer.close();

    double rate = sent * 1000.0 / (done - start);
    double insertRate = batch.chunks() == 0 ? 1 : bareInsertRate(db, batch);
    long dups = sandbox.stats().duplicates();
    System.out.printf("%nrouter bench: %d recipients (%d chunks of 500), cores %d, max heap %d MiB%n", total,
        batch.chunks(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf("  produced in %d ms; all sent+persisted in %d ms -> %.0f recipients/s (sent %d, sandbox duplicates %d)%n",
        produced - start, done - start, rate, sent, dups);
    System.out.printf("  high-priority singles at 50/s during the drain: n=%d p50=%d ms p99=%d ms max=%d ms%n",
        latency.getTotalCount(), latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getMaxValue());
    System.out.printf("  heap while routing: peak used %d MiB, peak right after a GC %d MiB (old-generation garbage"
        + " included until a mixed GC); live after a full GC at the end of the drain %d MiB%n", routerHeapPeak >> 20,
        routerLivePeak >> 20, liveAtEnd >> 20);
    split.print(sent + SINGLES.get());
    System.out.println("  router timers (count, mean, max, total):");
    timers.forEach(System.out::println);
    System.out.printf("  bare PostgreSQL insert of the same rows (500-row unnest statements): %.0f rows/s; router/insert = %.2f%n",
        insertRate, rate / insertRate);
    sampler.shutdown();
    sandbox.close();
    db.close();
    kafka.close();
    System.exit(0);
  }

  /**
   * The process's configuration: the private broker (12 partitions), the fresh database, the sandbox
   * for every provider at 5000/s with a burst of 500, fixed weights, one HTTP instance, the roles
   * given; and the environment's {@code ESP_ROUTER_*}, {@code ESP_ANALYTICS_*}, {@code ESP_LIMITER_*}
   * and {@code ESP_CAMPAIGN_*} variables, so a run can be tuned without a rebuild. Shared with
   * {@code CampaignPipelineBench}, which must run in this same layout to be compared with this one.
   */
  public static Map<String, String> environment(SharedKafka kafka, TestDatabase db, SandboxServer sandbox, int httpPort,
                                                String roles) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("ESP_KAFKA_PARTITIONS", "12");
    env.put("PGHOST", db.settings().host());
    env.put("PGPORT", Integer.toString(db.settings().port()));
    env.put("PGDATABASE", db.name());
    env.put("PGUSER", db.settings().user());
    db.settings().password().ifPresent(p -> env.put("PGPASSWORD", p));
    env.put("ESP_HTTP_PORT", Integer.toString(httpPort));
    env.put("ESP_HTTP_INSTANCES", "1");
    env.put("ESP_ROLES", roles);
    env.put("ESP_ROUTING_WEIGHTS", "fixed");
    env.put("ESP_PROVIDERS_MODE", "sandbox");
    for (ProviderName p : ProviderName.values()) {
      env.put(p.envPrefix() + "_BASE_URL", sandbox.baseUrl(p));
      env.put(p.envPrefix() + "_RATE_PER_SEC", "5000");
      env.put(p.envPrefix() + "_BURST", "500");
    }
    env.putAll(System.getenv().entrySet().stream().filter(e -> e.getKey().startsWith("ESP_ROUTER_")
            || e.getKey().startsWith("ESP_ANALYTICS_") || e.getKey().startsWith("ESP_LIMITER_")
            || e.getKey().startsWith("ESP_CAMPAIGN_"))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    return env;
  }

  /**
   * A fresh broker creates its 50 consumer-offset partitions on the router's first join, which
   * takes seconds here; one single message through the whole path first keeps that out of the figures.
   */
  public static void warmUp(KafkaProducer<String, byte[]> producer, Topics topics, TestDatabase db) throws Exception {
    SendChunk s = single();
    producer.send(new ProducerRecord<>(topics.send(Priority.HIGH), s.key(), s.toBuffer().getBytes())).get();
    SINGLES.incrementAndGet();
    long deadline = System.currentTimeMillis() + 120_000;
    try (Connection c = TestDatabase.connect(db.settings())) {
      while (count(c, "select count(*) from message_status where id = '" + s.recipients().get(0).messageId()
          + "' and status = 'sent'") == 0) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the router did not send the warm-up message within 120 s");
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * The batch as a recipe, not as data: chunk {@code i} is rebuilt on demand with the same ids and
   * addresses every time (message id = batch id + recipient index), so neither producing nor the
   * bare-insert comparison needs the batch in memory.
   */
  public record BatchShape(String batchId, int total) {

    private static final Content CONTENT = new Content("Shop <noreply@shop.example>", null, "Hi {{name}}",
        "<p>Hi {{name}}, your order</p>", "Hi {{name}}, your order", null, null);

    public int chunks() {
      return (total + SendChunk.MAX_RECIPIENTS - 1) / SendChunk.MAX_RECIPIENTS;
    }

    SendChunk chunk(int c) {
      List<Recipient> rs = new ArrayList<>(SendChunk.MAX_RECIPIENTS);
      for (int i = c * SendChunk.MAX_RECIPIENTS; i < Math.min(total, (c + 1) * SendChunk.MAX_RECIPIENTS); i++) {
        rs.add(new Recipient(messageId(i), "user" + i + "@bench.example", new JsonObject().put("name", "User " + i), null));
      }
      return new SendChunk(batchId, "ten_bench", c, chunks(), Channel.EMAIL, Priority.LOW, null, null, null, 0, CONTENT, rs,
          Instant.now(), null);
    }

    String messageId(int i) {
      return "msg_" + batchId.substring(4) + String.format("%07d", i);
    }
  }

  private static SendChunk single() {
    Recipient r = new Recipient(Ids.message(), "vip@bench.example", new JsonObject().put("name", "VIP"), null);
    return new SendChunk(null, "ten_vip", 0, 1, Channel.EMAIL, Priority.HIGH, null, null, null, 0,
        new Content("Shop <noreply@shop.example>", null, "Your code", null, "Code 1234", null, null), List.of(r),
        Instant.now(), null);
  }

  private static Histogram singlesLatency(TestDatabase db, Map<String, Long> singles) throws Exception {
    Histogram h = new Histogram(3_600_000, 3);
    try (Connection c = TestDatabase.connect(db.settings());
         PreparedStatement ps = c.prepareStatement(
             "select id, (extract(epoch from sent_at) * 1000)::bigint from message_status where id = any(?) "
                 + "and sent_at is not null")) {
      ps.setArray(1, c.createArrayOf("text", singles.keySet().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          h.recordValue(Math.max(0, rs.getLong(2) - singles.get(rs.getString(1))));
        }
      }
    }
    return h;
  }

  /**
   * The same rows, inserted 500 a statement with unnest arrays into a table shaped as {@code messages}
   * was (one row per recipient with its status, provider and provider id; primary key and a batch
   * index): what one cheap row per recipient costs here, the yardstick of the router's ratio.
   */
  public static double bareInsertRate(TestDatabase db, BatchShape batch) throws Exception {
    try (Connection c = TestDatabase.connect(db.settings()); Statement s = c.createStatement()) {
      s.execute("create table bench_messages (id text primary key, tenant_id text not null, batch_id text, "
          + "chunk_index int, channel text not null, recipient text not null, status text, provider text, "
          + "provider_message_id text, attempts int, priority text, sent_at timestamptz)");
      s.execute("create index bench_messages_batch on bench_messages (batch_id, id)");
      String sql = "insert into bench_messages (id, tenant_id, batch_id, chunk_index, channel, recipient, status, provider, "
          + "provider_message_id, attempts, priority, sent_at) select t.id, 'ten_bench', ?, ?, 'email', t.rcpt, 'sent', "
          + "'sendgrid', t.pid, 1, 'low', now() from unnest(?::text[], ?::text[], ?::text[]) as t(id, rcpt, pid)";
      long start = System.nanoTime();
      long rows = 0;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < batch.chunks(); i++) {
          SendChunk chunk = batch.chunk(i);
          String[] ids = chunk.recipients().stream().map(Recipient::messageId).toArray(String[]::new);
          String[] tos = chunk.recipients().stream().map(Recipient::to).toArray(String[]::new);
          String[] pids = new String[ids.length];
          java.util.Arrays.fill(pids, "pid-" + chunk.chunkIndex());
          ps.setString(1, chunk.batchId());
          ps.setInt(2, chunk.chunkIndex());
          ps.setArray(3, c.createArrayOf("text", ids));
          ps.setArray(4, c.createArrayOf("text", tos));
          ps.setArray(5, c.createArrayOf("text", pids));
          rows += ps.executeUpdate();
        }
      }
      return rows / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** Each backend of the benchmark's database by application_name (router ledger, status writer, shared pool). */
  public static Map<Integer, String> applications(TestDatabase db) {
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

  /** Recipients of the batch accepted by the email providers so far (singles excluded: they go to ten_vip's address). */
  private static long accepted(SandboxServer sandbox) {
    long n = 0;
    for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
      n += sandbox.stats().of(p).messages();
    }
    return n - SINGLES.get();
  }

  public static List<String> timers(RunningRoles router) {
    List<String> out = new ArrayList<>();
    for (io.micrometer.core.instrument.Meter m : router.registry().getMeters()) {
      String name = m.getId().getName();
      if (m instanceof io.micrometer.core.instrument.Timer t && t.count() > 0
          && (name.startsWith("esp_router_") || name.startsWith("esp_provider_request") || name.startsWith("vertx_pool")
          || name.startsWith("vertx_sql"))) {
        out.add(String.format("    %-70s n=%7d mean=%8.1f ms max=%8.1f ms total=%8.1f s", name + m.getId().getTags()
            .stream().map(tag -> tag.getKey() + "=" + tag.getValue()).toList(), t.count(),
            t.mean(TimeUnit.MILLISECONDS), t.max(TimeUnit.MILLISECONDS), t.totalTime(TimeUnit.SECONDS)));
      }
    }
    out.sort(null);
    return out;
  }

  /** The heap in use every 50 ms, the most of it kept in {@code peak}; shut the executor down at the end. */
  public static ScheduledExecutorService heapSampler(AtomicLong peak) {
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max), 0, 50, TimeUnit.MILLISECONDS);
    return sampler;
  }

  /**
   * The heap in use right after each collection (every pool, old generation included), the most of
   * it kept in {@code peak}: the live set, which is what must not grow with the batch.
   */
  public static void afterEveryGc(AtomicLong peak) {
    java.util.Set<String> heapPools = new java.util.HashSet<>();
    ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).forEach(p -> heapPools.add(p.getName()));
    for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((javax.management.NotificationEmitter) gc).addNotificationListener((n, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
          GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          long used = 0;
          for (Map.Entry<String, MemoryUsage> u : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            used += heapPools.contains(u.getKey()) ? u.getValue().getUsed() : 0;
          }
          peak.accumulateAndGet(used, Math::max);
        }
      }, null, null);
    }
  }

  public static long count(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
