package dev.esprouter.testkit;

import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.DatabaseSettings;
import dev.esprouter.common.db.Db;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh PostgreSQL database on the server named by {@code DATABASE_URL} / {@code PG*} (default
 * localhost:5432), created with every migration applied and dropped at the end. Tests never see
 * leftovers and never share a database with another test class.
 */
public final class TestDatabase implements AutoCloseable {

  private final DatabaseSettings admin;
  private final DatabaseSettings settings;

  private TestDatabase(DatabaseSettings admin, DatabaseSettings settings) {
    this.admin = admin;
    this.settings = settings;
  }

  public static TestDatabase create() {
    DatabaseSettings server = DatabaseSettings.from(ConfigReader.of(System.getenv()));
    String name = "esp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    DatabaseSettings admin = server.withDatabase("postgres");
    execute(admin, "create database " + name);
    TestDatabase db = new TestDatabase(admin, server.withDatabase(name));
    Db.migrate(db.settings);
    return db;
  }

  public DatabaseSettings settings() {
    return settings;
  }

  public String name() {
    return settings.database();
  }

  /** The {@code PG*} variables that point a configuration at this database. */
  public java.util.Map<String, String> connectionEnv() {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("PGHOST", settings.host());
    env.put("PGPORT", Integer.toString(settings.port()));
    env.put("PGDATABASE", settings.database());
    env.put("PGUSER", settings.user());
    settings.password().ifPresent(p -> env.put("PGPASSWORD", p));
    return env;
  }

  /** Runs SQL over JDBC (setup and assertions in tests; the product code uses the reactive pool). */
  public void sql(String sql) {
    execute(settings, sql);
  }

  /** The first column of the first row of a query, as a long (counts in assertions). */
  public long count(String sql) {
    try (Connection c = connect(settings); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row of a query, as text (null when there is no row). */
  public String string(String sql) {
    try (Connection c = connect(settings); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    execute(admin, "drop database if exists " + settings.database() + " with (force)");
  }

  private static void execute(DatabaseSettings s, String sql) {
    try (Connection c = connect(s); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + s.address() + ": " + e.getMessage()
          + " (start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)", e);
    }
  }

  public static Connection connect(DatabaseSettings s) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", s.user());
    s.password().ifPresent(pw -> p.setProperty("password", pw));
    return DriverManager.getConnection(s.jdbcUrl(), p);
  }
}
