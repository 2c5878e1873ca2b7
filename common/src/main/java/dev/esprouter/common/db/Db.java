package dev.esprouter.common.db;

import dev.esprouter.common.config.DatabaseSettings;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * PostgreSQL access: the reactive pool every module shares, and the Flyway migrations applied at
 * start. Each module ships its own migrations under {@code db/migration} with its own version range
 * (common V1.x, ingress V2.x, router V3.x, analytics V4.x), so modules never collide.
 */
public final class Db {

  private Db() {
  }

  public static PgConnectOptions connectOptions(DatabaseSettings s) {
    PgConnectOptions o = new PgConnectOptions()
        .setHost(s.host())
        .setPort(s.port())
        .setDatabase(s.database())
        .setUser(s.user())
        // Prepared statements are cached per connection so the hot bulk statements parse once.
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(256)
        .setPipeliningLimit(256);
    s.password().ifPresent(o::setPassword);
    return o;
  }

  /** The shared pool; {@code shared} so several verticles reuse one set of connections. */
  public static Pool pool(Vertx vertx, DatabaseSettings s) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(s.poolSize()).setShared(true).setName("esp-pg-" + s.database())
            .setMaxWaitQueueSize(10_000))
        // Named so pg_stat_activity tells it from the router's ledger and the status writer's own pools.
        .connectingTo(connectOptions(s).addProperty("application_name", "esp-shared"))
        .using(vertx)
        .build();
  }

  /** Applies every migration on the classpath. Blocking: call it from main or a worker. */
  public static MigrateResult migrate(DatabaseSettings s) {
    Flyway flyway = Flyway.configure()
        .dataSource(s.jdbcUrl(), s.user(), s.password().orElse(null))
        .locations("classpath:db/migration")
        // Module version ranges interleave as modules evolve; a lower version added later still applies.
        .outOfOrder(true)
        .connectRetries(0)
        .load();
    return flyway.migrate();
  }

  /**
   * Checks that PostgreSQL answers, over JDBC with a short timeout, so start-up can fail with one
   * clear line instead of a pool retrying in the background.
   */
  public static void checkReachable(DatabaseSettings s) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", s.user());
    s.password().ifPresent(p -> props.setProperty("password", p));
    props.setProperty("connectTimeout", "5");
    props.setProperty("loginTimeout", "5");
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), props)) {
      c.isValid(5);
    }
  }
}
