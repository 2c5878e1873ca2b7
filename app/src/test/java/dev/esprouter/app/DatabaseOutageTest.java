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
import dev.esprouter.testkit.FaultProxy;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: PostgreSQL goes away for 15 s in the middle of a drain. The router runs in a process
 * of its own whose every PostgreSQL connection goes through a {@link FaultProxy}; the sandbox runs
 * here, so its record of what each provider accepted is the ground truth. Sends must pause while
 * the ledger cannot be written and resume afterwards without re-running what providers had already
 * accepted: nothing lost, nothing re-sent, every status naming its provider.
 */
class DatabaseOutageTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final int RECIPIENTS = 20_000;

  @Test
  @DisplayName("PostgreSQL cut for 15 s mid-drain of 20k: 0 lost, 0 re-sent, every status with its provider")
  void outageMidDrain() throws Exception {
    int port = EspTestEnv.freePort();
    try (SandboxServer sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(11)
             .withWebhookBase("http://127.0.0.1:" + port + "/webhooks"));
         FaultProxy pg = FaultProxy.start(env.database().settings().host(), env.database().settings().port());
         KafkaProducer<String, byte[]> producer = producer()) {
      for (ProviderName p : ProviderName.values()) {
        sandbox.configure(p, new JsonObject().put("latency_ms", new JsonObject().put("p50", 40).put("p99", 150)));
      }
      env.createTopics(env.config(Map.of()));
      Map<String, String> e = routerEnv(sandbox, port, pg.port());
      List<SendChunk> chunks = batch(RECIPIENTS);
      String batch = chunks.get(0).batchId();
      Process router = RouterProcess.start(e, null, Files.createTempFile("router-pg-outage", ".log"));
      try {
        RouterProcess.awaitReady(router, port);
        Topics topics = env.topics();
        for (SendChunk c : chunks) {
          producer.send(new ProducerRecord<>(topics.send(c.priority()), c.key(), c.toBuffer().getBytes()));
        }
        producer.flush();
        await("a quarter of the batch accepted", 120, () -> accepted(sandbox) >= RECIPIENTS / 4);
        long atCut = accepted(sandbox);
        pg.outage(15_000);
        long afterOutage = accepted(sandbox);
        assertThat(atCut).as("the outage came mid-drain").isLessThan(RECIPIENTS);
        await("all 20k accepted", 240, () -> accepted(sandbox) - sandbox.stats().duplicates() >= RECIPIENTS);
        await("all 20k sent in PostgreSQL", 120, () -> env.database().count("select coalesce(sum(n), 0) from "
            + "batch_counters where batch_id = '" + batch + "'") == RECIPIENTS);
        await("every status written", 120, () -> env.database().count("select count(*) from message_status "
            + "where batch_id = '" + batch + "'") == RECIPIENTS);
        System.out.printf("PostgreSQL outage: accepted %d at the cut, %d when it ended, re-sent %d, connections "
            + "refused during it %d%n", atCut, afterOutage, sandbox.stats().duplicates(), pg.refusedCount());
        assertThat(sandbox.stats().duplicates()).as("re-sent").isZero();
        assertThat(accepted(sandbox)).as("accepted by providers").isEqualTo(RECIPIENTS);
        assertThat(env.database().count("select count(*) from message_status where batch_id = '" + batch
            + "' and (provider is null or provider_message_id is null or sent_at is null)")).isZero();
      } finally {
        RouterProcess.stopAndExpectZero(router);
      }
    }
  }

  private static Map<String, String> routerEnv(SandboxServer sandbox, int httpPort, int pgPort) {
    Map<String, String> e = new HashMap<>();
    e.put("KAFKA_BOOTSTRAP_SERVERS", env.bootstrapServers());
    e.put("ESP_KAFKA_TOPIC_PREFIX", env.topicPrefix());
    e.put("PGHOST", "127.0.0.1");
    e.put("PGPORT", Integer.toString(pgPort));
    e.put("PGDATABASE", env.database().name());
    e.put("PGUSER", env.database().settings().user());
    env.database().settings().password().ifPresent(pw -> e.put("PGPASSWORD", pw));
    e.put("ESP_HTTP_PORT", Integer.toString(httpPort));
    e.put("ESP_ROLES", "router,analytics,webhooks");
    e.put("ESP_PROVIDERS_MODE", "sandbox");
    e.put("ESP_ROUTING_WEIGHTS", "fixed");
    e.put("ESP_ROUTER_INSTANCE_ID", "pg-outage-test");
    e.put("ESP_DATA_DIR", "target/pg-outage-data");
    for (ProviderName p : ProviderName.values()) {
      e.put(p.envPrefix() + "_BASE_URL", sandbox.baseUrl(p));
      e.put(p.envPrefix() + "_RATE_PER_SEC", "300");
      e.put(p.envPrefix() + "_BURST", "50");
    }
    return e;
  }

  private static KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", env.bootstrapServers());
    p.put("acks", "all");
    p.put("linger.ms", "5");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
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
      out.add(new SendChunk(batchId, "ten_o", c, chunks, Channel.EMAIL, Priority.NORMAL, null, null, null, 0, content,
          rs, Instant.now(), null));
    }
    return out;
  }

  private static long accepted(SandboxServer sandbox) {
    return ProviderName.of(Channel.EMAIL).stream().mapToLong(p -> sandbox.stats().of(p).messages()).sum();
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
