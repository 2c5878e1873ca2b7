package dev.esprouter.testkit;

import dev.esprouter.common.Topics;
import dev.esprouter.common.KafkaTopics;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.db.Db;
import dev.esprouter.common.config.KafkaSettings;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The integration-test environment of one test class: the JVM's shared real Kafka broker, a fresh
 * PostgreSQL database with all migrations (dropped after the class), and a topic prefix of its own
 * so classes never read each other's records. Register it as
 * {@code @RegisterExtension static final EspTestEnv env = new EspTestEnv();}.
 */
public final class EspTestEnv implements BeforeAllCallback, AfterAllCallback {

  private SharedKafka kafka;
  private TestDatabase database;
  private String topicPrefix;

  @Override
  public void beforeAll(ExtensionContext context) {
    kafka = SharedKafka.shared();
    database = TestDatabase.create();
    topicPrefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (database != null) {
      database.close();
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public TestDatabase database() {
    return database;
  }

  public String topicPrefix() {
    return topicPrefix;
  }

  public Topics topics() {
    return new Topics(topicPrefix);
  }

  /**
   * A full configuration pointing at this environment: the shared broker, the fresh database, this
   * class's topic prefix, free ports for HTTP and the sandbox, with {@code overrides} on top (any
   * variable of API.md § Configuration).
   */
  public EspConfig config(Map<String, String> overrides) {
    int http = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
    env.put("ESP_KAFKA_TOPIC_PREFIX", topicPrefix);
    env.put("ESP_KAFKA_PARTITIONS", "3");
    env.put("PGHOST", database.settings().host());
    env.put("PGPORT", Integer.toString(database.settings().port()));
    env.put("PGDATABASE", database.name());
    env.put("PGUSER", database.settings().user());
    database.settings().password().ifPresent(p -> env.put("PGPASSWORD", p));
    env.put("ESP_HTTP_PORT", Integer.toString(http));
    env.put("ESP_SANDBOX_PORT", Integer.toString(freePort()));
    env.put("ESP_HTTP_INSTANCES", "1");
    env.put("ESP_DB_POOL_SIZE", "8");
    env.putAll(overrides);
    return EspConfig.from(ConfigReader.of(env));
  }

  public EspConfig config() {
    return config(Map.of());
  }

  /** Creates this class's topics (send lanes, retry, dlq, webhooks, events) on the shared broker. */
  public void createTopics(EspConfig config) {
    try {
      KafkaTopics.ensureBlocking(config.kafka(), new Topics(config.kafka().topicPrefix()));
    } catch (Exception e) {
      throw new IllegalStateException("could not create topics", e);
    }
  }

  public KafkaSettings kafkaSettings() {
    return config().kafka();
  }

  public Pool pool(Vertx vertx) {
    return Db.pool(vertx, database.settings());
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
