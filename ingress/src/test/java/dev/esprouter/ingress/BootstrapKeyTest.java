package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("ESP_BOOTSTRAP_API_KEY: a changed key revokes the previous one, admin keys stay")
class BootstrapKeyTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final String FIRST = "esk_live_firstbootstrapkey00000000000000000000";
  private static final String SECOND = "esk_live_secondbootstrapkey0000000000000000000";

  @Test
  @DisplayName("restarted with a new bootstrap key: the old one answers 401, the new one and an admin-made key work")
  void changedKeyRevokesThePrevious() {
    String adminKey;
    try (IngressHarness h = IngressHarness.start(env, Map.of("ESP_BOOTSTRAP_API_KEY", FIRST))) {
      assertThat(h.get("/v1/messages/msg_none", FIRST).statusCode()).isEqualTo(404);
      String tenant = tenantId();
      adminKey = h.admin(HttpMethod.POST, "/admin/tenants/" + tenant + "/keys", null).bodyAsJsonObject()
          .getString("key");
    }
    try (IngressHarness h = IngressHarness.start(env, Map.of("ESP_BOOTSTRAP_API_KEY", SECOND))) {
      assertThat(h.get("/v1/messages/msg_none", FIRST).statusCode()).isEqualTo(401);
      assertThat(h.get("/v1/messages/msg_none", SECOND).statusCode()).isEqualTo(404);
      assertThat(h.get("/v1/messages/msg_none", adminKey).statusCode()).isEqualTo(404);
    }
    // Back to the first key: it works again and the second is revoked; still one tenant.
    try (IngressHarness h = IngressHarness.start(env, Map.of("ESP_BOOTSTRAP_API_KEY", FIRST))) {
      assertThat(h.get("/v1/messages/msg_none", FIRST).statusCode()).isEqualTo(404);
      assertThat(h.get("/v1/messages/msg_none", SECOND).statusCode()).isEqualTo(401);
    }
    assertThat(env.database().count("select count(*) from tenants")).isEqualTo(1);
    assertThat(env.database().count("select count(*) from api_keys where bootstrap and revoked_at is null"))
        .isEqualTo(1);
  }

  private static String tenantId() {
    return env.database().string("select id from tenants where name = 'default'");
  }
}
