package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a user sees when start-up cannot go on: one line naming the problem, a non-zero exit. */
class MainProcessTest {

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
}
