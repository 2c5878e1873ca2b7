package dev.esprouter.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.esprouter.common.ProviderName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EspConfigTest {

  @Test
  @DisplayName("No configuration at all: port 8080, every role with the sandbox, embedded Kafka, local PostgreSQL")
  void defaults() {
    EspConfig c = EspConfig.load(Map.of());
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.roles()).containsExactlyInAnyOrder(EspConfig.Role.values());
    assertThat(c.kafka().embedded()).isTrue();
    assertThat(c.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(c.database().address()).isEqualTo("localhost:5432");
    assertThat(c.database().database()).isEqualTo("postgres");
    assertThat(c.providersMode()).isEqualTo(ProvidersMode.SANDBOX);
    assertThat(c.provider(ProviderName.SENDGRID).baseUrl()).isEqualTo("http://127.0.0.1:8089/sendgrid");
    assertThat(c.provider(ProviderName.SENDGRID).enabled()).isTrue();
    assertThat(c.adminToken()).isEmpty();
  }

  @Test
  @DisplayName("Bad values fail with one line naming the variable")
  void badValues() {
    assertThatThrownBy(() -> EspConfig.load(Map.of("ESP_HTTP_PORT", "abc")))
        .isInstanceOf(ConfigException.class).hasMessage("ESP_HTTP_PORT=abc: not a port number");
    assertThatThrownBy(() -> EspConfig.load(Map.of("ESP_HTTP_PORT", "70000")))
        .hasMessage("ESP_HTTP_PORT=70000: not a port number (1-65535)");
    assertThatThrownBy(() -> EspConfig.load(Map.of("ESP_PROVIDERS_MODE", "prod")))
        .hasMessage("ESP_PROVIDERS_MODE=prod: must be live or sandbox");
    assertThatThrownBy(() -> EspConfig.load(Map.of("SENDGRID_RATE_PER_SEC", "-3")))
        .hasMessageStartingWith("SENDGRID_RATE_PER_SEC=-3: must be between");
    assertThatThrownBy(() -> EspConfig.load(Map.of("POSTMARK_BASE_URL", "ftp://x")))
        .hasMessage("POSTMARK_BASE_URL=ftp://x: not an http(s) URL");
    assertThatThrownBy(() -> EspConfig.load(Map.of("DATABASE_URL", "mysql://u:secret@h/db")))
        .hasMessage("DATABASE_URL=mysql://u:***@h/db: scheme must be postgresql://");
  }

  @Test
  @DisplayName("A provider credential switches to live mode and enables only the providers whose credentials are complete")
  void liveMode() {
    EspConfig c = EspConfig.load(Map.of("SENDGRID_API_KEY", "SG.x", "META_ACCESS_TOKEN", "t"));
    assertThat(c.providersMode()).isEqualTo(ProvidersMode.LIVE);
    assertThat(c.provider(ProviderName.SENDGRID).enabled()).isTrue();
    assertThat(c.provider(ProviderName.META).enabled()).as("phone number id missing").isFalse();
    assertThat(c.provider(ProviderName.SENDGRID).baseUrl()).isEqualTo("https://api.sendgrid.com");
    assertThat(c.roles()).doesNotContain(EspConfig.Role.SANDBOX);
  }

  @Test
  @DisplayName("Secrets never appear in toString")
  void secretsHidden() {
    EspConfig c = EspConfig.load(Map.of("SENDGRID_API_KEY", "SG.very-secret", "ESP_ADMIN_TOKEN", "admin-secret",
        "META_APP_SECRET", "app-secret", "DATABASE_URL", "postgresql://u:pw-secret@db:5432/esp"));
    assertThat(c.toString()).doesNotContain("very-secret", "admin-secret", "app-secret", "pw-secret");
  }

  @Test
  @DisplayName("DATABASE_URL gives host, port, database, user and password")
  void databaseUrl() {
    DatabaseSettings d = EspConfig.load(Map.of("DATABASE_URL", "postgresql://esp:p%40ss@db.internal:6543/router"))
        .database();
    assertThat(d.host()).isEqualTo("db.internal");
    assertThat(d.port()).isEqualTo(6543);
    assertThat(d.database()).isEqualTo("router");
    assertThat(d.user()).isEqualTo("esp");
    assertThat(d.password()).contains("p@ss");
  }

  @Test
  @DisplayName("A config file is read and the environment wins over it")
  void fileAndEnv(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("esp.yaml");
    Files.writeString(f, "ESP_HTTP_PORT: 9000\nESP_ROLES: ingress,router\n");
    EspConfig c = EspConfig.load(Map.of("ESP_CONFIG", f.toString(), "ESP_ROLES", "webhooks"));
    assertThat(c.httpPort()).isEqualTo(9000);
    assertThat(c.roles()).containsExactly(EspConfig.Role.WEBHOOKS);
    assertThatThrownBy(() -> EspConfig.load(Map.of("ESP_CONFIG", dir.resolve("missing.json").toString())))
        .hasMessageEndingWith("missing.json: file not found or not readable");
  }

  @Test
  @DisplayName("DATABASE_URL without user or password: PGUSER, PGPASSWORD, then PGPASSFILE, as libpq does")
  void libpqDefaults(@TempDir Path dir) throws Exception {
    DatabaseSettings d = EspConfig.load(Map.of("DATABASE_URL", "postgresql://db.internal:6543/router",
        "PGUSER", "esp_app", "PGPASSWORD", "from-env")).database();
    assertThat(d.user()).isEqualTo("esp_app");
    assertThat(d.password()).contains("from-env");
    assertThat(d.source()).isEqualTo("DATABASE_URL, user from PGUSER, password from PGPASSWORD");

    Path pass = dir.resolve("pgpass");
    Files.writeString(pass, "# comment\nother:6543:router:esp_app:wrong\ndb.internal:6543:*:esp_app:p\\:w\n"
        + "*:*:*:*:fallback\n");
    java.nio.file.Files.setPosixFilePermissions(pass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    d = EspConfig.load(Map.of("DATABASE_URL", "postgresql://db.internal:6543/router", "PGUSER", "esp_app",
        "PGPASSFILE", pass.toString())).database();
    assertThat(d.password()).contains("p:w");
    assertThat(d.source()).endsWith("password from PGPASSFILE");
    d = EspConfig.load(Map.of("DATABASE_URL", "postgresql://someone@elsewhere/x", "PGPASSFILE", pass.toString()))
        .database();
    assertThat(d.user()).isEqualTo("someone");
    assertThat(d.password()).contains("fallback");
    // What the URL says wins over the environment.
    d = EspConfig.load(Map.of("DATABASE_URL", "postgresql://u:pw@h/x", "PGUSER", "other", "PGPASSWORD", "other",
        "PGPASSFILE", pass.toString())).database();
    assertThat(d.user()).isEqualTo("u");
    assertThat(d.password()).contains("pw");
    // A password file others can read is ignored, as libpq ignores it.
    java.nio.file.Files.setPosixFilePermissions(pass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    d = EspConfig.load(Map.of("DATABASE_URL", "postgresql://someone@elsewhere/x", "PGPASSFILE", pass.toString()))
        .database();
    assertThat(d.password()).isEmpty();
    // ~/.pgpass when PGPASSFILE is unset.
    java.nio.file.Files.setPosixFilePermissions(pass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Files.copy(pass, dir.resolve(".pgpass"));
    d = EspConfig.load(Map.of("PGHOST", "db.internal", "PGPORT", "6543", "PGDATABASE", "router", "PGUSER", "esp_app",
        "HOME", dir.toString())).database();
    assertThat(d.password()).contains("p:w");
  }
}
