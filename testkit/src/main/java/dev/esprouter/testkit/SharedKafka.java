package dev.esprouter.testkit;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.LoggerFactory;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker (Kafka's own test kit, in-process, random ports). {@link #shared()}
 * starts one per test JVM on first use and closes it when the JVM exits, so every test class of a
 * module reuses it; {@link #startPrivate()} gives a test its own broker it may stop (for "Kafka is
 * down" tests).
 */
public final class SharedKafka implements AutoCloseable {

  private static final AtomicReference<SharedKafka> SHARED = new AtomicReference<>();

  private final KafkaClusterTestKit cluster;

  private SharedKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  public static synchronized SharedKafka shared() {
    SharedKafka k = SHARED.get();
    if (k == null) {
      k = startPrivate();
      SHARED.set(k);
      SharedKafka started = k;
      Runtime.getRuntime().addShutdownHook(new Thread(started::closeWithin15s, "shared-kafka-stop"));
    }
    return k;
  }

  public static SharedKafka startPrivate() {
    keepKafkaFromEndingTheJvm();
    try {
      KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
          .setCombined(true)
          .setNumBrokerNodes(1)
          .setNumControllerNodes(1)
          .build())
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("transaction.state.log.replication.factor", "1")
          .setConfigProp("transaction.state.log.min.isr", "1")
          .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .setConfigProp("num.partitions", "3")
          .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new SharedKafka(cluster);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the embedded Kafka broker", e);
    }
  }

  /**
   * Kafka's broker ends the JVM ({@code Exit.exit}/{@code Exit.halt}) on faults, including faults
   * while it is shut down from a JVM shutdown hook or after a test stopped it on purpose. In a test
   * JVM that turns green tests into a crashed surefire fork, so the exit is logged instead, as
   * spring-kafka's embedded broker does.
   */
  private static void keepKafkaFromEndingTheJvm() {
    Exit.Procedure log = (status, message) -> LoggerFactory.getLogger(SharedKafka.class)
        .warn("embedded Kafka asked to end the JVM with status {}: {} (ignored in tests)", status, message);
    Exit.setExitProcedure(log);
    Exit.setHaltProcedure(log);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /**
   * Closing at JVM exit must never hold the exit: surefire kills a fork that does not end within
   * its timeout and reports the green run as failed.
   */
  private void closeWithin15s() {
    Thread closer = new Thread(this::close, "shared-kafka-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      // The JVM is going away or the test stopped it on purpose; nothing to hand back.
    }
  }
}
