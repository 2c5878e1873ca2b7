package dev.esprouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.http.ApiKeys;
import dev.esprouter.router.RouterRole;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A dashboard session opened on one process is taken by the tenant routes of a process without analytics. */
class SessionsAcrossRolesTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  @Test
  @DisplayName("a router-only process takes a tenant's dashboard session on /v1/dlq: reads as is, a requeue only with X-CSRF-Token")
  void routerOnly() throws Exception {
    EspConfig config = env.config(Map.of("ESP_ROLES", "router"));
    env.createTopics(config);
    String key = ApiKeys.generate();
    String cookie = "cookie-value-of-a-session-opened-elsewhere-0001";
    env.database().sql("insert into tenants (id, name) values ('ten_s', 'sessions')");
    try (RunningRoles roles = RunningRoles.start(config, new RouterRole())) {
      ApiKeys.store(roles.runtime().pool(), "ten_s", key).await(10, TimeUnit.SECONDS);
      env.database().sql("insert into dashboard_sessions (id_hash, tenant_id, credential_hash, csrf_token, expires_at, "
          + "max_expires_at) values (sha256('" + cookie + "'::bytea), 'ten_s', '\\x"
          + HexFormat.of().formatHex(ApiKeys.hash(key)) + "', 'the-csrf', now() + interval '1 hour', "
          + "now() + interval '2 hours')");
      HttpClient http = HttpClient.newHttpClient();
      String base = roles.baseUrl();
      assertThat(status(http, HttpRequest.newBuilder(URI.create(base + "/v1/dlq")).GET(), null)).isEqualTo(401);
      assertThat(status(http, HttpRequest.newBuilder(URI.create(base + "/v1/dlq")).GET(), cookie)).isEqualTo(200);
      HttpRequest.Builder requeue = HttpRequest.newBuilder(URI.create(base + "/v1/dlq/msg_none/requeue"))
          .POST(HttpRequest.BodyPublishers.noBody());
      assertThat(status(http, requeue, cookie)).as("no CSRF token").isEqualTo(401);
      assertThat(status(http, requeue.header("X-CSRF-Token", "the-csrf"), cookie)).as("the tenant's, unknown id")
          .isEqualTo(404);
    }
  }

  private static int status(HttpClient http, HttpRequest.Builder b, String cookie) throws Exception {
    if (cookie != null) {
      b.header("Cookie", "esp_session=" + cookie);
    }
    return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
