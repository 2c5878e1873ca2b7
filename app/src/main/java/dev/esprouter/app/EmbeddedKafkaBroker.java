package dev.esprouter.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka 4.2 broker in KRaft mode (broker and controller in one node), run
 * in-process from the Kafka jars. In-process rather than a child JVM because the all-in-one run is
 * meant for one laptop or one small box: one JVM to start, one heap to size (the 1M-recipient
 * benchmark runs the whole thing in -Xmx512m), one SIGTERM that shuts everything down in order,
 * and no second classpath to assemble. Production points {@code KAFKA_BOOTSTRAP_SERVERS} at a real
 * cluster and this class is not used.
 *
 * <p>The log lives under {@code dataDir/kafka}; it is formatted once (cluster id kept in
 * {@code meta.properties}) and reused on every later start, so topics and offsets survive restarts.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private final Path logDir;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;

  public EmbeddedKafkaBroker(Path dataDir, int port) {
    this.logDir = dataDir.resolve("kafka").toAbsolutePath();
    this.port = port;
    this.controllerPort = port + 1;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Formats the log directory on first use, then starts the broker and waits until it serves. */
  public void start() throws Exception {
    Files.createDirectories(logDir);
    Properties props = properties();
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(props);
    }
    server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
  }

  /** The port and the controller port (port + 1) must both be free on 127.0.0.1. */
  public static String portProblem(int port) {
    for (int p : new int[] {port, port + 1}) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", p));
      } catch (IOException e) {
        return "port " + p + " on 127.0.0.1 is already in use";
      }
    }
    return null;
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    // One node: every internal topic has a single replica; fewer internal partitions start faster.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "12");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "12");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics are created by the router at start with the configured partition count.
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "12");
    p.put("log.retention.hours", "168");
    p.put("message.max.bytes", "16777216");
    p.put("replica.fetch.max.bytes", "16777216");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    return p;
  }

  private void format(Properties props) throws Exception {
    Path file = logDir.resolveSibling("kafka-server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "esp-router embedded broker");
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int rc;
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      rc = kafka.tools.StorageTool$.MODULE$.execute(new String[] {
          "format", "-t", Uuid.randomUuid().toString(), "-c", file.toString(), "--ignore-formatted"}, ps);
    }
    if (rc != 0) {
      throw new IllegalStateException("could not format " + logDir + ": " + captured.toString(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }
}
