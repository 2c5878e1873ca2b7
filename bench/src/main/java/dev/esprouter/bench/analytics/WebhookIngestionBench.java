package dev.esprouter.bench.analytics;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.common.KafkaTopics;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
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
 * Webhook ingestion end to end: SendGrid-style arrays of 1000 events per record (what one verified
 * POST becomes in {@code webhooks.sendgrid}) consumed by the analytics role as the app runs it
 * (real parser, one transaction per poll) into message statuses, the event timeline and provider
 * stats in PostgreSQL. The records are produced before the role starts, so the figure is the
 * consumer's throughput. Goal: ≥ 30k events/s. Runs on a private broker and a fresh database.
 *
 * <p>{@code bench/run dev.esprouter.bench.analytics.WebhookIngestionBench [events, default 300000]}
 */
public final class WebhookIngestionBench {

  private static final int PER_POST = 1000;

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int messages = events / 2;
    try (SharedKafka kafka = SharedKafka.startPrivate(); TestDatabase db = TestDatabase.create()) {
      EspConfig config = config(kafka, db);
      KafkaTopics.ensureBlocking(config.kafka(), new Topics(""));
      db.sql("insert into tenants (id, name) values ('ten_bench', 'bench')");
      if (System.getenv("ESP_BENCH_LOG_SLOW_MS") != null) {
        db.sql("alter database " + db.name() + " set log_min_duration_statement = " + System.getenv("ESP_BENCH_LOG_SLOW_MS"));
      }
      db.sql("insert into messages (id, tenant_id, channel, recipient, status, provider, provider_message_id) "
          + "select 'msg_' || g, 'ten_bench', 'email', 'r' || g || '@example.com', 'sent', 'sendgrid', 'x' || (g / 1000) "
          + "from generate_series(1, " + messages + ") g");
      produce(config, messages);
      System.out.printf("produced %d events in %d records of %d%n", messages * 2, messages * 2 / PER_POST, PER_POST);

      long started = System.nanoTime();
      try (RunningRoles roles = RunningRoles.start(config, new AnalyticsRole())) {
        long rolesUp = System.nanoTime();
        long first = 0;
        while (recorded(roles) < messages * 2L) {
          if (first == 0 && recorded(roles) > 0) {
            first = System.nanoTime();
          }
          if (System.nanoTime() - started > 120_000_000_000L) {
            throw new IllegalStateException("not done after 120 s: " + recorded(roles) + " events recorded");
          }
          Thread.sleep(20);
        }
        long done = System.nanoTime();
        double fromUp = (done - rolesUp) / 1e9;
        double fromFirst = (done - (first == 0 ? rolesUp : first)) / 1e9;
        System.out.printf("recorded %d events: %.2f s after the role started (%.0f events/s incl. group join), "
            + "%.2f s from the first recorded poll (%.0f events/s)%n", messages * 2, fromUp, messages * 2 / fromUp,
            fromFirst, messages * 2 / fromFirst);
      }
      System.out.printf("check: %d timeline rows, %d messages opened, stats delivered+opened = %d%n",
          db.count("select count(*) from message_events"),
          db.count("select count(*) from messages where status = 'opened'"),
          db.count("select sum(delivered + opened) from provider_stats"));
    }
    System.exit(0);
  }

  private static EspConfig config(SharedKafka kafka, TestDatabase db) {
    Map<String, String> env = new HashMap<>(db.connectionEnv());
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("ESP_KAFKA_PARTITIONS", "6");
    env.put("ESP_HTTP_PORT", System.getenv().getOrDefault("ESP_BENCH_HTTP_PORT", "18510"));
    env.put("ESP_HTTP_INSTANCES", "1");
    env.put("ESP_ROLES", "analytics");
    return EspConfig.from(ConfigReader.of(env));
  }

  /** Each message gets a delivered and an open event; one record holds one POST of 1000 events. */
  private static void produce(EspConfig config, int messages) throws Exception {
    Map<String, Object> props = new HashMap<>(config.kafka().producerConfig("bench"));
    String topic = new Topics("").webhooks(ProviderName.SENDGRID);
    long now = System.currentTimeMillis() / 1000;
    try (KafkaProducer<String, Buffer> producer = new KafkaProducer<>(props)) {
      List<Future<?>> sent = new ArrayList<>();
      JsonArray post = new JsonArray();
      for (String event : new String[] {"delivered", "open"}) {
        for (int i = 1; i <= messages; i++) {
          post.add(new JsonObject().put("email", "r" + i + "@example.com").put("timestamp", now).put("event", event)
              .put("sg_event_id", event + "-" + i).put("sg_message_id", "x" + (i / 1000) + ".filter0001.1.2.0")
              .put("esp_message_id", "msg_" + i).put("category", new JsonArray().add("bench")));
          if (post.size() == PER_POST) {
            ProducerRecord<String, Buffer> r = new ProducerRecord<>(topic, "sendgrid", post.toBuffer());
            r.headers().add("esp-received-at", Long.toString(System.currentTimeMillis()).getBytes());
            sent.add(producer.send(r));
            post = new JsonArray();
          }
        }
      }
      for (Future<?> f : sent) {
        f.get();
      }
    }
  }

  private static long recorded(RunningRoles roles) {
    return (long) roles.registry().find("esp_analytics_events_total").counters().stream()
        .mapToDouble(Counter::count).sum();
  }
}
