package dev.esprouter.bench.router;

import dev.esprouter.analytics.AnalyticsRole;
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
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.testkit.SharedKafka;
import dev.esprouter.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One provider never holds back the others (issue 10): the same bulk drain with high-priority
 * singles at 5/s, first with every provider healthy, then with faults switched on at the sandbox —
 * the highest-weight provider throttling (429 after 1 call/s, Retry-After 2 s), one hanging, and
 * SparkPost down + Postmark hanging + SendGrid throttled together. For each: bulk recipients/s from
 * the first record to the last recipient provider-accepted with status {@code sent}, its ratio to the
 * healthy run, the singles' p50/p99 from the produce acknowledgement to the router's {@code sent}
 * fact, and duplicates (any recipient accepted twice, by any providers).
 *
 * <pre>flock /tmp/esp-bench.lock bench/run dev.esprouter.bench.router.FaultScenariosBench 100000</pre>
 */
public final class FaultScenariosBench {

  private static final Content CONTENT = new Content("Shop <noreply@shop.example>", null, "Hi {{name}}",
      "<p>Hi {{name}}, your order</p>", null, null, null);

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    SharedKafka kafka = SharedKafka.startPrivate();
    TestDatabase db = TestDatabase.create();
    SandboxServer sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(9));
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("ESP_KAFKA_PARTITIONS", "12");
    env.put("PGHOST", db.settings().host());
    env.put("PGPORT", Integer.toString(db.settings().port()));
    env.put("PGDATABASE", db.name());
    env.put("PGUSER", db.settings().user());
    env.put("ESP_HTTP_PORT", "18500");
    env.put("ESP_ROLES", "router,analytics");
    env.put("ESP_PROVIDERS_MODE", "sandbox");
    env.put("ESP_ROUTING_WEIGHTS", System.getenv().getOrDefault("ESP_ROUTING_WEIGHTS", "fixed"));
    env.put("ESP_PRIOR_WEIGHTS_EMAIL", "sendgrid:350,postmark:300,socketlabs:200,sparkpost:150");
    for (ProviderName p : ProviderName.values()) {
      env.put(p.envPrefix() + "_BASE_URL", sandbox.baseUrl(p));
      env.put(p.envPrefix() + "_RATE_PER_SEC", "1000");
      env.put(p.envPrefix() + "_BURST", "100");
    }
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("ESP_") && !k.startsWith("ESP_BENCH_")) {
        env.put(k, v);
      }
    });
    EspConfig config = EspConfig.from(ConfigReader.of(env));
    KafkaTopics.ensureBlocking(config.kafka(), new Topics(""));
    Topics topics = new Topics("");
    Properties pp = new Properties();
    pp.put("bootstrap.servers", kafka.bootstrapServers());
    pp.put("acks", "all");
    pp.put("linger.ms", "5");
    pp.put("compression.type", "lz4");
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());
    RunningRoles roles = RunningRoles.start(config, new RouterRole(), new AnalyticsRole());

    Map<String, Map<ProviderName, JsonObject>> scenarios = new LinkedHashMap<>();
    scenarios.put("warm-up (healthy)", Map.of());
    scenarios.put("healthy", Map.of());
    JsonObject throttle = new JsonObject().put("throttle_after_per_sec", 1).put("retry_after_s", 2);
    scenarios.put("sendgrid (highest weight) throttled", Map.of(ProviderName.SENDGRID, throttle));
    scenarios.put("postmark hanging", Map.of(ProviderName.POSTMARK, new JsonObject().put("hang", true)));
    scenarios.put("sparkpost down + postmark hanging + sendgrid throttled", Map.of(
        ProviderName.SPARKPOST, new JsonObject().put("down", true),
        ProviderName.POSTMARK, new JsonObject().put("hang", true),
        ProviderName.SENDGRID, throttle));
    double healthy = 0;
    double healthySecondHalf = 0;
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Map<ProviderName, JsonObject>> s : scenarios.entrySet()) {
      sandbox.reset();
      for (ProviderName p : ProviderName.values()) {
        sandbox.configure(p, new JsonObject().put("webhooks", false));
      }
      Thread.sleep(6000); // breakers of the previous scenario close, limiters climb back
      s.getValue().forEach(sandbox::configure);
      Result r = run(producer, topics, db, total);
      if (s.getKey().equals("healthy")) {
        healthy = r.rate;
        healthySecondHalf = r.secondHalfRate;
      }
      String line = String.format("  %-58s bulk %7.0f recipients/s (%5.1f %% of healthy; second half %7.0f/s, %5.1f %%), "
              + "singles n=%d p50 %5d ms p99 %5d ms max %5d ms, duplicates %d", s.getKey(), r.rate,
          healthy == 0 ? 100 : 100 * r.rate / healthy, r.secondHalfRate,
          healthySecondHalf == 0 ? 100 : 100 * r.secondHalfRate / healthySecondHalf,
          r.singles.getTotalCount(), r.singles.getValueAtPercentile(50), r.singles.getValueAtPercentile(99),
          r.singles.getMaxValue(), sandbox.stats().duplicates());
      System.out.println(line);
      lines.add(line);
    }
    System.out.printf("%nfault scenarios: %d recipients each, 4 email providers (weights 350/300/200/150), singles 5/s%n",
        total);
    lines.forEach(System.out::println);
    roles.close();
    producer.close();
    sandbox.close();
    db.close();
    kafka.close();
    System.exit(0);
  }

  private record Result(double rate, double secondHalfRate, Histogram singles) {
  }

  private static Result run(KafkaProducer<String, byte[]> producer, Topics topics, TestDatabase db, int total)
      throws Exception {
    String batchId = Ids.batch();
    int chunks = (total + SendChunk.MAX_RECIPIENTS - 1) / SendChunk.MAX_RECIPIENTS;
    Map<String, Long> singles = new ConcurrentHashMap<>();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    long start = System.currentTimeMillis();
    ticker.scheduleAtFixedRate(() -> {
      Recipient r = new Recipient(Ids.message(), "vip@bench.example", null, null);
      SendChunk s = new SendChunk(null, "ten_vip", 0, 1, Channel.EMAIL, Priority.HIGH, null, null, null, 0, CONTENT,
          List.of(r), Instant.now(), null);
      producer.send(new ProducerRecord<>(topics.send(Priority.HIGH), s.key(), s.toBuffer().getBytes()), (md, err) -> {
        if (err == null) {
          singles.put(r.messageId(), System.currentTimeMillis());
        }
      });
    }, 0, 200, TimeUnit.MILLISECONDS);
    for (int c = 0; c < chunks; c++) {
      List<Recipient> rs = new ArrayList<>();
      for (int i = c * SendChunk.MAX_RECIPIENTS; i < Math.min(total, (c + 1) * SendChunk.MAX_RECIPIENTS); i++) {
        rs.add(new Recipient(Ids.message(), "u" + i + "@bench.example", new JsonObject().put("name", "U" + i), null));
      }
      SendChunk chunk = new SendChunk(batchId, "ten_bulk", c, chunks, Channel.EMAIL, Priority.LOW, null, null, null, 0,
          CONTENT, rs, Instant.now(), null);
      producer.send(new ProducerRecord<>(topics.send(chunk.priority()), chunk.key(), chunk.toBuffer().getBytes()));
    }
    producer.flush();
    long deadline = start + 900_000;
    long half = 0;
    try (Connection c = TestDatabase.connect(db.settings());
         PreparedStatement ps = c.prepareStatement("select coalesce(sum(n), 0) from batch_counters where batch_id = ? "
             + "and status = 'sent'")) {
      ps.setString(1, batchId);
      while (System.currentTimeMillis() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long sent = rs.getLong(1);
          if (half == 0 && sent >= total / 2) {
            half = System.currentTimeMillis();
          }
          if (sent >= total) {
            break;
          }
        }
        Thread.sleep(100);
      }
    }
    long done = System.currentTimeMillis();
    ticker.shutdown();
    ticker.awaitTermination(5, TimeUnit.SECONDS);
    Thread.sleep(3000);
    Histogram h = new Histogram(3_600_000, 3);
    try (Connection c = TestDatabase.connect(db.settings());
         PreparedStatement ps = c.prepareStatement("select id, (extract(epoch from sent_at) * 1000)::bigint "
             + "from message_status where id = any(?) and sent_at is not null")) {
      ps.setArray(1, c.createArrayOf("text", singles.keySet().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          h.recordValue(Math.max(0, rs.getLong(2) - singles.get(rs.getString(1))));
        }
      }
    }
    return new Result(total * 1000.0 / (done - start), (total - total / 2) * 1000.0 / Math.max(1, done - half), h);
  }
}
