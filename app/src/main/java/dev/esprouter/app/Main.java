package dev.esprouter.app;

import dev.esprouter.cli.EspCli;
import dev.esprouter.common.KafkaTopics;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.ConfigException;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.KnownVariables;
import dev.esprouter.common.db.Db;
import dev.esprouter.common.runtime.RoleModule;
import dev.esprouter.common.runtime.RoleRuntime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar esp-router.jar [serve]}: validates the configuration, starts the embedded KRaft broker
 * when no cluster is configured, checks and migrates PostgreSQL, creates the topics, runs the roles
 * of {@code ESP_ROLES} and serves HTTP. SIGTERM or SIGINT stops taking work, lets the roles finish or
 * hand back what is in flight and commit offsets, closes the broker and exits 0.
 *
 * <p>Start-up problems a user can fix (a bad variable, PostgreSQL or a port not reachable) end the
 * process with one line on stderr and exit code 2; no stack trace.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private final EspConfig config;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private EmbeddedKafkaBroker broker;
  private Vertx vertx;
  private RoleRuntime runtime;

  private Main(EspConfig config) {
    this.config = config;
  }

  /**
   * No command (or {@code serve}): start the router. Any other command is the command line of
   * {@link EspCli}, a client of a running router, which exits with its documented code.
   */
  public static void main(String[] args) {
    if (args.length == 0) {
      serve();
      return;
    }
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = EspCli.run(args, System.getenv(), out, err, Main::serve);
    if (code != EspCli.SERVING) {
      System.exit(code);
    }
  }

  private static void serve() {
    long t0 = System.nanoTime();
    EspConfig config;
    List<RoleModule> roles;
    try {
      config = EspConfig.load(System.getenv());
      roles = RoleRuntime.select(config, RoleRuntime.discover());
    } catch (ConfigException e) {
      fail(e.getMessage());
      return;
    }
    for (String warning : KnownVariables.warnings(config.reader().names())) {
      System.err.println("esp-router: warning: " + warning);
    }
    Main main = new Main(config);
    Signal.handle(new Signal("TERM"), s -> main.shutdownAndExit());
    Signal.handle(new Signal("INT"), s -> main.shutdownAndExit());
    try {
      main.start(roles);
    } catch (StartupException e) {
      main.stopQuietly();
      fail(e.getMessage());
      return;
    } catch (Exception | Error e) {
      // Anything else (including a class missing from a broken build) must still end the process.
      log.error("esp-router could not start", e);
      main.stopQuietly();
      System.exit(1);
      return;
    }
    log.info("esp-router ready in {} ms: http://127.0.0.1:{}/ (roles {}, providers {})",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), config.httpPort(), roleNames(config),
        config.providersMode().name().toLowerCase(java.util.Locale.ROOT));
  }

  private void start(List<RoleModule> roles) throws Exception {
    // PostgreSQL first: it is the quickest check and the likeliest thing to be missing on a laptop.
    try {
      Db.checkReachable(config.database());
    } catch (java.sql.SQLException e) {
      throw new StartupException(StartupChecks.postgresProblem(config.database(), e));
    }
    String ports = StartupChecks.portsProblem(config);
    if (ports != null) {
      throw new StartupException(ports);
    }
    if (!config.kafka().embedded() && !KafkaTopics.awaitReachable(config.kafka())) {
      throw new StartupException("KAFKA_BOOTSTRAP_SERVERS=" + config.kafka().bootstrapServers()
          + ": no Kafka broker answered within " + config.kafka().waitMs() + " ms (ESP_KAFKA_WAIT_MS); "
          + "unset KAFKA_BOOTSTRAP_SERVERS to run the embedded broker");
    }
    EspConfig effective = config;
    if (config.kafka().embedded()) {
      String problem = EmbeddedKafkaBroker.portProblem(config.kafka().embeddedPort());
      if (problem != null) {
        throw new StartupException("ESP_EMBEDDED_KAFKA_PORT=" + config.kafka().embeddedPort() + ": " + problem
            + " (set ESP_EMBEDDED_KAFKA_PORT, or KAFKA_BOOTSTRAP_SERVERS to use a running cluster)");
      }
      broker = new EmbeddedKafkaBroker(config.dataDir(), config.kafka().embeddedPort());
      broker.start();
      effective = config.withKafka(config.kafka().withBootstrap(broker.bootstrapServers()));
      log.info("kafka: embedded KRaft broker on {} (data in {})", broker.bootstrapServers(),
          config.dataDir().resolve("kafka").toAbsolutePath());
    } else {
      log.info("kafka: cluster at {}", config.kafka().bootstrapServers());
    }
    var migrated = Db.migrate(config.database());
    log.info("postgres: {} ({} migrations applied now, schema version {})", config.database(),
        migrated.migrationsExecuted, migrated.targetSchemaVersion == null ? "current" : migrated.targetSchemaVersion);
    List<String> created = KafkaTopics.ensureBlocking(effective.kafka(), new Topics(effective.kafka().topicPrefix()));
    if (!created.isEmpty()) {
      log.info("kafka: created topics {}", created);
    }

    PrometheusMeterRegistry registry = Metrics.registry(config);
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(Metrics.vertxOptions()))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    // After Vert.x has configured its meter filters on the registry.
    Metrics.bindJvm(registry);
    try {
      runtime = RoleRuntime.start(vertx, effective, registry, roles).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      String taken = StartupChecks.bindProblem(config, e);
      if (taken != null) {
        throw new StartupException(taken);
      }
      throw e;
    }
  }

  /** Runs once, on the signal thread's behalf, on a thread of its own; exits 0 when done. */
  private void shutdownAndExit() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> {
      long t0 = System.nanoTime();
      log.info("esp-router stopping: no new work, finishing in-flight work");
      stopQuietly();
      log.info("esp-router stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      stopped.countDown();
      System.exit(0);
    }, "esp-shutdown");
    t.start();
  }

  private void stopQuietly() {
    long budget = config.shutdownTimeoutMs();
    try {
      if (runtime != null) {
        runtime.stop().await(budget, TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      log.warn("roles did not stop within {} ms: {}", budget, e.toString());
    }
    try {
      if (vertx != null) {
        vertx.close().await(2, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      log.warn("vert.x did not close cleanly: {}", e.toString());
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static void fail(String line) {
    System.err.println("esp-router: " + line);
    System.err.flush();
    System.exit(2);
  }

  private static String roleNames(EspConfig config) {
    return config.roles().stream().map(EspConfig.Role::wire).sorted().toList().toString();
  }

  /** A start-up problem the user can fix; its message is the one line printed. */
  static final class StartupException extends Exception {
    StartupException(String message) {
      super(message, null, false, false);
    }
  }

  /** For tests: what a map of variables would be validated to (or the one-line error). */
  static String validate(Map<String, String> env) {
    try {
      EspConfig.load(env);
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }
}
