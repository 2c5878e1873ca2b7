package dev.esprouter.bench.analytics;

import dev.esprouter.bench.ProcTicks;
import dev.esprouter.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What PostgreSQL spent between two snapshots, read from the server itself: CPU seconds of the
 * backends connected to the benchmark's database and of every postgres process (from /proc, so the
 * benchmark must run on the database's machine), WAL bytes, and the rows the database inserted,
 * updated (of which HOT) and deleted. Backend CPU is cumulative per process, so snapshots must be
 * taken while the role's pool connections are still open.
 */
final class PostgresCost {

  private static final double TICKS_PER_SECOND = ProcTicks.PER_SECOND;

  record Snapshot(Map<Integer, Long> backendTicks, long serverTicks, long walBytes, long inserted, long updated,
                  long hotUpdated, long deleted) {
  }

  private final TestDatabase db;

  PostgresCost(TestDatabase db) {
    this.db = db;
  }

  Snapshot snapshot() {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      Map<Integer, Long> backends = new HashMap<>();
      try (ResultSet rs = s.executeQuery("select pid from pg_stat_activity where datname = current_database() "
          + "and pid <> pg_backend_pid()")) {
        while (rs.next()) {
          backends.put(rs.getInt(1), ProcTicks.ofProcess(rs.getInt(1)));
        }
      }
      long wal;
      try (ResultSet rs = s.executeQuery("select pg_current_wal_lsn() - '0/0'::pg_lsn")) {
        rs.next();
        wal = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("select coalesce(sum(n_tup_ins), 0), coalesce(sum(n_tup_upd), 0), "
          + "coalesce(sum(n_tup_hot_upd), 0), coalesce(sum(n_tup_del), 0) from pg_stat_user_tables")) {
        rs.next();
        return new Snapshot(backends, ProcTicks.postgresTotal(), wal, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line per measure, per event. Table statistics reach the view with a delay of up to a second. */
  String describe(Snapshot a, Snapshot b, long events, double wallSeconds) {
    long backendTicks = 0;
    for (Map.Entry<Integer, Long> e : b.backendTicks().entrySet()) {
      backendTicks += e.getValue() - a.backendTicks().getOrDefault(e.getKey(), 0L);
    }
    double backendCpu = backendTicks / TICKS_PER_SECOND;
    double serverCpu = (b.serverTicks() - a.serverTicks()) / TICKS_PER_SECOND;
    return String.format("postgres: backends of this database %.1f CPU-s (%.1f µs/event, %.2f cores over %.1f s); "
            + "all postgres processes %.1f CPU-s (%.1f µs/event)%n"
            + "postgres: rows per event: %.2f inserted, %.2f updated (%.2f HOT), %.2f deleted; WAL %.0f bytes/event",
        backendCpu, backendCpu * 1e6 / events, backendCpu / wallSeconds, wallSeconds, serverCpu,
        serverCpu * 1e6 / events, (double) (b.inserted() - a.inserted()) / events,
        (double) (b.updated() - a.updated()) / events, (double) (b.hotUpdated() - a.hotUpdated()) / events,
        (double) (b.deleted() - a.deleted()) / events, (double) (b.walBytes() - a.walBytes()) / events);
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    p.put("user", db.settings().user());
    db.settings().password().ifPresent(pw -> p.put("password", pw));
    return DriverManager.getConnection(db.settings().jdbcUrl(), p);
  }
}
