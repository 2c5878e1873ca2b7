package dev.esprouter.app;

import dev.esprouter.common.config.DatabaseSettings;
import dev.esprouter.common.config.EspConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.SQLException;

/**
 * The start-up problems a user can fix, each turned into the one line {@code Main} prints before
 * exiting 2: PostgreSQL refusing the login or not having the database, and ports already taken
 * (checked before anything starts, so the answer comes in a second instead of after every role
 * has started and the HTTP server's bind fails).
 */
final class StartupChecks {

  private StartupChecks() {
  }

  /** The line for a failed connection check, by SQLSTATE: login refused (28xxx), no database (3D000), else unreachable. */
  static String postgresProblem(DatabaseSettings db, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where = "PostgreSQL at " + db.address();
    String from = " (from " + db.source() + ")";
    if (state.startsWith("28")) {
      return where + " refused user '" + db.user() + "'" + from + ": " + firstLine(e.getMessage())
          + "; set DATABASE_URL (postgresql://user:password@host:port/db) or PGUSER/PGPASSWORD/PGPASSFILE";
    }
    if (state.equals("3D000")) {
      return where + " has no database '" + db.database() + "'" + from
          + "; create it or name another in DATABASE_URL (or PGDATABASE)";
    }
    return "PostgreSQL unreachable at " + db.address() + " (database " + db.database() + ", from " + db.source()
        + "; set DATABASE_URL or PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD): " + firstLine(e.getMessage());
  }

  /** The first port of this process that is already taken, as its line; null when all are free. */
  static String portsProblem(EspConfig config) {
    if (!free("0.0.0.0", config.httpPort())) {
      return taken("ESP_HTTP_PORT", config.httpPort());
    }
    if (config.runs(EspConfig.Role.SANDBOX) && !free(config.sandbox().host(), config.sandbox().port())) {
      return taken("ESP_SANDBOX_PORT", config.sandbox().port());
    }
    return null;
  }

  /**
   * A bind that failed anyway (another process took a port between the check and the start):
   * the line names both port variables, since the exception does not say which port it was.
   */
  static String bindProblem(EspConfig config, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        String sandbox = config.runs(EspConfig.Role.SANDBOX) ? ", or ESP_SANDBOX_PORT=" + config.sandbox().port() : "";
        return "a port is already in use: ESP_HTTP_PORT=" + config.httpPort() + sandbox + " (" + t.getMessage()
            + "); stop what holds it or choose another port";
      }
    }
    return null;
  }

  private static String taken(String variable, int port) {
    return variable + "=" + port + ": port " + port + " is already in use; stop what holds it or set " + variable
        + " to a free port";
  }

  private static boolean free(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no answer";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
