package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a user sees when start-up cannot go on: one line naming the problem, a non-zero exit. */
class MainProcessTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  /** A reachable, migrated-on-start database and free ports: what each case below then breaks. */
  private static Map<String, String> base() {
    Map<String, String> e = new HashMap<>(env.database().connectionEnv());
    e.put("ESP_HTTP_PORT", Integer.toString(EspTestEnv.freePort()));
    e.put("ESP_SANDBOX_PORT", Integer.toString(EspTestEnv.freePort()));
    e.put("KAFKA_BOOTSTRAP_SERVERS", env.bootstrapServers());
    e.put("ESP_KAFKA_TOPIC_PREFIX", env.topicPrefix());
    return e;
  }

  @Test
  @DisplayName("A bad ESP_HTTP_PORT stops start-up with one line naming the variable and a non-zero exit")
  void badPort() throws Exception {
    RouterProcess.Result r = RouterProcess.runToExit(Map.of("ESP_HTTP_PORT", "notaport"));
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderrLines()).containsExactly("esp-router: ESP_HTTP_PORT=notaport: not a port number");
  }

  @Test
  @DisplayName("An unknown role stops start-up with one line naming ESP_ROLES")
  void badRole() throws Exception {
    RouterProcess.Result r = RouterProcess.runToExit(Map.of("ESP_ROLES", "ingress,mailer"));
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).startsWith("esp-router: ESP_ROLES=ingress,mailer: unknown role 'mailer'");
  }

  @Test
  @DisplayName("PostgreSQL unreachable: one line naming host:port and the variables to set, no stack trace")
  void postgresDown() throws Exception {
    int closed = EspTestEnv.freePort();
    RouterProcess.Result r = RouterProcess.runToExit(Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(closed),
        "PGPASSWORD", "s3cret-not-shown"));
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0))
        .contains("PostgreSQL unreachable at 127.0.0.1:" + closed)
        .contains("DATABASE_URL")
        .doesNotContain("s3cret-not-shown");
  }

  @Test
  @DisplayName("Kafka unreachable: after ESP_KAFKA_WAIT_MS, one line naming KAFKA_BOOTSTRAP_SERVERS, exit 2")
  void kafkaDown() throws Exception {
    Map<String, String> e = base();
    e.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + EspTestEnv.freePort());
    e.put("ESP_KAFKA_WAIT_MS", "2000");
    long t0 = System.nanoTime();
    RouterProcess.Result r = RouterProcess.runToExit(e);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderrLines()).singleElement().asString()
        .startsWith("esp-router: KAFKA_BOOTSTRAP_SERVERS=" + e.get("KAFKA_BOOTSTRAP_SERVERS") + ": no Kafka broker "
            + "answered within 2000 ms");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(20_000);
  }

  @Test
  @DisplayName("ESP_HTTP_PORT taken: one line naming the variable and the port, exit 2, before anything starts")
  void httpPortTaken() throws Exception {
    Map<String, String> e = base();
    try (ServerSocket holder = new ServerSocket()) {
      holder.bind(new InetSocketAddress("0.0.0.0", 0));
      e.put("ESP_HTTP_PORT", Integer.toString(holder.getLocalPort()));
      RouterProcess.Result r = RouterProcess.runToExit(e);
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.stderrLines()).containsExactly("esp-router: ESP_HTTP_PORT=" + holder.getLocalPort() + ": port "
          + holder.getLocalPort() + " is already in use; stop what holds it or set ESP_HTTP_PORT to a free port");
    }
  }

  @Test
  @DisplayName("ESP_SANDBOX_PORT taken (sandbox role): one line naming the variable and the port, exit 2")
  void sandboxPortTaken() throws Exception {
    Map<String, String> e = base();
    e.put("ESP_ROLES", "sandbox");
    try (ServerSocket holder = new ServerSocket()) {
      holder.bind(new InetSocketAddress("127.0.0.1", 0));
      e.put("ESP_SANDBOX_PORT", Integer.toString(holder.getLocalPort()));
      RouterProcess.Result r = RouterProcess.runToExit(e);
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.stderrLines()).singleElement().asString()
          .startsWith("esp-router: ESP_SANDBOX_PORT=" + holder.getLocalPort() + ": port " + holder.getLocalPort()
              + " is already in use");
    }
  }

  @Test
  @DisplayName("PostgreSQL refuses the user (28000): one line naming DATABASE_URL and the user PGUSER gave, exit 2")
  void postgresRefusesUser() throws Exception {
    Map<String, String> e = base();
    e.remove("PGHOST");
    e.remove("PGPORT");
    e.remove("PGDATABASE");
    e.put("DATABASE_URL", "postgresql://" + env.database().settings().address() + "/" + env.database().name());
    e.put("PGUSER", "no_such_role_hardening");
    RouterProcess.Result r = RouterProcess.runToExit(e);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderrLines()).singleElement().asString()
        .startsWith("esp-router: PostgreSQL at " + env.database().settings().address()
            + " refused user 'no_such_role_hardening' (from DATABASE_URL, user from PGUSER)")
        .contains("set DATABASE_URL");
  }

  @Test
  @DisplayName("PostgreSQL has no such database (3D000): one line naming it and DATABASE_URL, exit 2")
  void postgresUnknownDatabase() throws Exception {
    Map<String, String> e = base();
    e.put("PGDATABASE", "no_such_database_hardening");
    RouterProcess.Result r = RouterProcess.runToExit(e);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderrLines()).singleElement().asString()
        .startsWith("esp-router: PostgreSQL at " + env.database().settings().address()
            + " has no database 'no_such_database_hardening'")
        .contains("DATABASE_URL");
  }

  @Test
  @DisplayName("An unknown ESP_ variable is a warning line naming the closest known one; start-up goes on")
  void unknownVariable() throws Exception {
    Map<String, String> e = base();
    e.put("ESP_HTTP_PROT", "8081");
    e.put("PGPORT", Integer.toString(EspTestEnv.freePort())); // then stop at PostgreSQL, after the warning
    RouterProcess.Result r = RouterProcess.runToExit(e);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderrLines()).hasSize(2);
    assertThat(r.stderrLines().get(0)).isEqualTo("esp-router: warning: ESP_HTTP_PROT is not a variable esp-router "
        + "reads (did you mean ESP_HTTP_PORT?); it is ignored");
    assertThat(r.stderrLines().get(1)).startsWith("esp-router: PostgreSQL unreachable");
  }
}
