package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Ids;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The send path's guarantees against real faults, with the router in a process of its own (as an
 * operator runs it) and the sandbox in this one, so its record of what each provider accepted
 * outlives the router: a {@code kill -9} mid-drain (every recipient arrives, re-sent at most those of
 * the calls in flight at the kill, every status names its provider), and SIGTERM while a provider
 * hangs (nothing re-sent); a PostgreSQL outage is {@code DatabaseOutageTest}. Webhooks flow back into the router process throughout, so its status
 * writer runs under load beside the router: no deadlock may appear.
 */
class SendPathFaultsTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static SandboxServer sandbox;
  private static KafkaProducer<String, byte[]> producer;
  private static Topics topics;
  private static int port;

  @BeforeAll
  static void start() {
    port = EspTestEnv.freePort();
    sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(5)
        .withWebhookBase("http://127.0.0.1:" + port + "/webhooks"));
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("latency_ms", new JsonObject().put("p50", 60).put("p99", 200)));
    }
    env.createTopics(env.config(Map.of()));
    topics = env.topics();
    Properties p = new Properties();
    p.put("bootstrap.servers", env.bootstrapServers());
    p.put("acks", "all");
    p.put("linger.ms", "5");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stop() {
    producer.close();
    sandbox.close();
  }

  private static Map<String, String> routerEnv() {
    Map<String, String> e = new HashMap<>();
    e.put("KAFKA_BOOTSTRAP_SERVERS", env.bootstrapServers());
    e.put("ESP_KAFKA_TOPIC_PREFIX", env.topicPrefix());
    e.put("PGHOST", env.database().settings().host());
    e.put("PGPORT", Integer.toString(env.database().settings().port()));
    e.put("PGDATABASE", env.database().name());
    e.put("PGUSER", env.database().settings().user());
    env.database().settings().password().ifPresent(pw -> e.put("PGPASSWORD", pw));
    e.put("ESP_HTTP_PORT", Integer.toString(port));
    e.put("ESP_ROLES", "router,analytics,webhooks");
    e.put("ESP_PROVIDERS_MODE", "sandbox");
    e.put("ESP_ROUTING_WEIGHTS", "fixed");
    e.put("ESP_ROUTER_INSTANCE_ID", "faults-test");
    e.put("ESP_DATA_DIR", "target/faults-data");
    for (ProviderName p : ProviderName.values()) {
      e.put(p.envPrefix() + "_BASE_URL", sandbox.baseUrl(p));
      e.put(p.envPrefix() + "_RATE_PER_SEC", "400");
      e.put(p.envPrefix() + "_BURST", "50");
    }
    return e;
  }

  private static List<SendChunk> batch(int n) {
    String batchId = Ids.batch();
    Content content = new Content("Shop <noreply@shop.example>", null, "Hi {{name}}", "<p>Hi {{name}}</p>", null, null,
        null);
    int chunks = (n + SendChunk.MAX_RECIPIENTS - 1) / SendChunk.MAX_RECIPIENTS;
    List<SendChunk> out = new ArrayList<>();
    for (int c = 0; c < chunks; c++) {
      List<Recipient> rs = new ArrayList<>();
      for (int i = c * SendChunk.MAX_RECIPIENTS; i < Math.min(n, (c + 1) * SendChunk.MAX_RECIPIENTS); i++) {
        rs.add(new Recipient(Ids.message(), "u" + i + "@" + batchId.toLowerCase() + ".example",
            new JsonObject().put("name", "U" + i), null));
      }
      out.add(new SendChunk(batchId, "ten_f", c, chunks, Channel.EMAIL, Priority.NORMAL, null, null, null, 0, content, rs,
          Instant.now(), null));
    }
    return out;
  }

  private static void publish(List<SendChunk> chunks) throws Exception {
    for (SendChunk c : chunks) {
      producer.send(new ProducerRecord<>(topics.send(c.priority()), c.key(), c.toBuffer().getBytes()));
    }
    producer.flush();
  }

  private static long accepted() {
    return ProviderName.of(Channel.EMAIL).stream().mapToLong(p -> sandbox.stats().of(p).messages()).sum();
  }

  private static long deadlocks() {
    return env.database().count("select deadlocks from pg_stat_database where datname = current_database()");
  }

  @Test
  @DisplayName("kill -9 mid-drain, restarted: every recipient arrives, re-sent at most the calls in flight at the "
      + "kill, every status names its provider, no deadlock with webhooks flowing")
  void killAndRestart() throws Exception {
    long acceptedBefore = accepted();
    long duplicatesBefore = sandbox.stats().duplicates();
    long deadlocksBefore = deadlocks();
    List<SendChunk> chunks = batch(20_000);
    String batch = chunks.get(0).batchId();
    Path log = Files.createTempFile("router-kill", ".log");
    Process first = RouterProcess.start(routerEnv(), null, log);
    RouterProcess.awaitReady(first, port);
    publish(chunks);
    await("part of the batch accepted", 120, () -> accepted() - acceptedBefore >= 6_000);
    first.destroyForcibly();
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long atKill = accepted() - acceptedBefore;
    // What the dead process had asked providers and not yet written an answer for: the only possible duplicates.
    long openAtKill = env.database().count("select coalesce(sum(cardinality(message_ids)), 0) from send_calls "
        + "where chunk_key like '" + batch + "/%' and results is null");
    assertThat(atKill).isLessThan(20_000);

    long killed = System.nanoTime();
    Process second = RouterProcess.start(routerEnv(), null, Files.createTempFile("router-kill-2", ".log"));
    try {
      RouterProcess.awaitReady(second, port);
      long ready = System.nanoTime();
      await("sending again after the restart", 60, () -> accepted() - acceptedBefore > atKill);
      long resumedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ready);
      long sinceKillMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      await("all 20k accepted", 180, () -> accepted() - acceptedBefore - (sandbox.stats().duplicates()
          - duplicatesBefore) >= 20_000);
      await("all 20k sent in PostgreSQL", 60, () -> env.database().count("select coalesce(sum(n), 0) from "
          + "batch_counters where batch_id = '" + batch + "'") == 20_000);
      long duplicates = sandbox.stats().duplicates() - duplicatesBefore;
      System.out.printf("kill -9: accepted at the kill %d, recipients in open calls at the kill %d, re-sent %d, "
          + "sending again %d ms after the restarted process was ready (%d ms after the kill)%n", atKill, openAtKill,
          duplicates, resumedMs, sinceKillMs);
      assertThat(accepted() - acceptedBefore - duplicates).isEqualTo(20_000);
      assertThat(duplicates).isLessThanOrEqualTo(openAtKill);
      assertThat(env.database().count("select count(*) from message_status where batch_id = '" + batch
          + "' and (provider is null or provider_message_id is null or sent_at is null)")).isZero();
      assertThat(deadlocks()).isEqualTo(deadlocksBefore);
    } finally {
      RouterProcess.stopAndExpectZero(second);
    }
  }

  @Test
  @DisplayName("SIGTERM while a provider hangs: calls in flight get their timeout, their answers are written, "
      + "nothing is re-sent after the restart")
  void sigtermWhileHanging() throws Exception {
    long acceptedBefore = accepted();
    long duplicatesBefore = sandbox.stats().duplicates();
    List<SendChunk> chunks = batch(6_000);
    String batch = chunks.get(0).batchId();
    Path log = Files.createTempFile("router-term", ".log");
    Map<String, String> e = routerEnv();
    e.put("ESP_PROVIDER_FIRST_BYTE_TIMEOUT_MS", "2000");
    e.put("ESP_PROVIDER_REQUEST_TIMEOUT_MS", "3000");
    // Room for the drain on a busy machine: calls get their timeout, answers their ledger write.
    e.put("ESP_ROUTER_DRAIN_MS", "6000");
    Process first = RouterProcess.start(e, null, log);
    RouterProcess.awaitReady(first, port);
    publish(chunks);
    await("part of the batch accepted", 120, () -> accepted() - acceptedBefore >= 1_000);
    sandbox.configure(ProviderName.POSTMARK, new JsonObject().put("hang", true));
    try {
      RouterProcess.stopAndExpectZero(first);
    } finally {
      sandbox.configure(ProviderName.POSTMARK, new JsonObject().put("hang", false));
    }
    assertThat(env.database().count("select count(*) from router_incarnations where instance_id = 'faults-test' "
        + "and stopped_at is null")).isZero();
    Process second = RouterProcess.start(e, null, Files.createTempFile("router-term-2", ".log"));
    try {
      RouterProcess.awaitReady(second, port);
      await("all 6k accepted", 180, () -> accepted() - acceptedBefore - (sandbox.stats().duplicates()
          - duplicatesBefore) >= 6_000);
      await("all sent in PostgreSQL", 60, () -> env.database().count("select coalesce(sum(n), 0) from "
          + "batch_counters where batch_id = '" + batch + "'") == 6_000);
      assertThat(sandbox.stats().duplicates() - duplicatesBefore).isZero();
    } finally {
      RouterProcess.stopAndExpectZero(second);
    }
  }

  private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
      }
      Thread.sleep(100);
    }
  }
}
