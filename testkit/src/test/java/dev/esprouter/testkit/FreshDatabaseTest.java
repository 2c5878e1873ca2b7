package dev.esprouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FreshDatabaseTest {

  static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

  @Test
  @DisplayName("A fresh database has every core migration applied and no rows")
  void migrated() {
    try (TestDatabase db = TestDatabase.create()) {
      assertThat(db.count("select count(*) from flyway_schema_history where success")).isGreaterThanOrEqualTo(1);
      assertThat(db.count("select count(*) from messages")).isZero();
      assertThat(db.count("select esp_status_rank('opened') - esp_status_rank('delivered')")).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("A dropped test database is gone from the server")
  void dropped() {
    TestDatabase db = TestDatabase.create();
    String name = db.name();
    db.close();
    try (TestDatabase other = TestDatabase.create()) {
      assertThat(other.count("select count(*) from pg_database where datname = '" + name + "'")).isZero();
    }
  }

  @Nested
  class First {
    @RegisterExtension
    static final EspTestEnv env = new EspTestEnv();

    @Test
    @DisplayName("Two test classes get two different databases (first)")
    void first() {
      assertThat(SEEN.add(env.database().name())).isTrue();
      env.database().sql("insert into tenants (id, name) values ('ten_1', 'only-here')");
    }
  }

  @Nested
  class Second {
    @RegisterExtension
    static final EspTestEnv env = new EspTestEnv();

    @Test
    @DisplayName("Two test classes get two different databases (second sees no rows of the first)")
    void second() {
      assertThat(SEEN.add(env.database().name())).isTrue();
      assertThat(env.database().count("select count(*) from tenants")).isZero();
    }
  }
}
