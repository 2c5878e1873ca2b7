package dev.esprouter.common;

import dev.esprouter.common.config.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics of DESIGN.md § Kafka when they are missing, and checks the cluster answers. */
public final class KafkaTopics {

  private KafkaTopics() {
  }

  /** Returns the topics it created. Runs the blocking admin calls on a worker thread. */
  public static Future<List<String>> ensure(Vertx vertx, KafkaSettings settings, Topics topics) {
    return vertx.executeBlocking(() -> ensureBlocking(settings, topics), false);
  }

  public static List<String> ensureBlocking(KafkaSettings settings, Topics topics) throws Exception {
    try (Admin admin = Admin.create(adminProps(settings))) {
      Set<String> existing = new HashSet<>(admin.listTopics().names().get(10, TimeUnit.SECONDS));
      List<NewTopic> missing = new ArrayList<>();
      for (String t : topics.all()) {
        if (!existing.contains(t)) {
          NewTopic topic = new NewTopic(t, settings.partitions(), settings.replicationFactor());
          if (t.equals(topics.retry())) {
            // Retries wait out their backoff in the router; keep them long enough for the 5 min cap.
            topic.configs(Map.of("retention.ms", String.valueOf(TimeUnit.DAYS.toMillis(7))));
          }
          missing.add(topic);
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return missing.stream().map(NewTopic::name).toList();
    }
  }

  /**
   * True when the cluster at {@code settings} answers within {@code settings.waitMs()}: start-up asks
   * this once, so an unreachable {@code KAFKA_BOOTSTRAP_SERVERS} ends in one line instead of a stack
   * trace from whichever client noticed first. A bootstrap address that does not resolve is false too.
   */
  public static boolean awaitReachable(KafkaSettings settings) {
    Properties p = adminProps(settings);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(settings.waitMs()));
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(5_000, settings.waitMs())));
    Admin admin;
    try {
      admin = Admin.create(p);
    } catch (org.apache.kafka.common.KafkaException e) {
      return false;
    }
    try {
      return reachable(admin, settings.waitMs());
    } finally {
      admin.close(java.time.Duration.ZERO);
    }
  }

  /** True when the cluster answers a metadata request within the timeout. */
  public static boolean reachable(Admin admin, long timeoutMs) {
    try {
      admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  public static Properties adminProps(KafkaSettings settings) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return p;
  }
}
