package dev.esprouter.analytics;

import static dev.esprouter.analytics.AnalyticsHarness.event;
import static dev.esprouter.analytics.AnalyticsHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several polls are written at once, yet offsets are committed only in poll order, each after its own write. */
class ConcurrentWritesTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  static final String GROUP = "analytics-" + UUID.randomUUID();
  static AnalyticsHarness h;

  @BeforeAll
  static void start() {
    h = new AnalyticsHarness(env, Map.of("ESP_ANALYTICS_WRITERS", "2", "ESP_ANALYTICS_GROUP_ID", GROUP));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  @DisplayName("A poll stuck in PostgreSQL does not hold up the next poll's write, and holds back every later offset")
  void stuckPollHoldsBackOffsets() throws Exception {
    String stuck = h.message("email", "stuck@example.com", ProviderName.SENDGRID, null, "sent");
    String free = h.message("email", "free@example.com", ProviderName.SENDGRID, null, "sent");
    String topic = env.topics().webhooks(ProviderName.SENDGRID);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()));
         Connection lock = TestDatabase.connect(env.database().settings())) {
      // Another transaction holds the first message's row: the first poll's status update waits for it.
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("select 1 from message_status where id = '" + stuck + "' for update");
      }
      h.webhook(ProviderName.SENDGRID, List.of(event(ProviderName.SENDGRID, EventType.DELIVERED, stuck, stuck + "-d")));
      eventually(() -> h.count("select count(*) from pg_stat_activity where datname = current_database() "
          + "and wait_event_type = 'Lock'") == 1);
      long committedWhileStuck = committed(admin, topic);

      h.webhook(ProviderName.SENDGRID, List.of(event(ProviderName.SENDGRID, EventType.DELIVERED, free, free + "-d")));
      eventually(() -> h.count("select count(*) from message_status where id = '" + free + "' and status = 'delivered'") == 1);
      Thread.sleep(500); // time for a commit that should not happen
      assertThat(committed(admin, topic)).isEqualTo(committedWhileStuck);

      lock.rollback();
      eventually(() -> h.count("select count(*) from message_status where id = '" + stuck + "' and status = 'delivered'") == 1);
      eventually(() -> committed(admin, topic) == committedWhileStuck + 2);
    }
  }

  /** The group's committed offsets summed over the topic's partitions (0 before any commit). */
  private static long committed(Admin admin, String topic) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset()).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
