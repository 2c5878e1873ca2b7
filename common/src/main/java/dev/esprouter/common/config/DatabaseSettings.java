package dev.esprouter.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where PostgreSQL is: {@code DATABASE_URL} ({@code postgresql://user:pass@host:port/db}) or the
 * libpq variables {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER},
 * {@code PGPASSWORD}, {@code PGPASSFILE}; default {@code postgresql://localhost:5432/postgres}.
 * {@code source} says where each part came from, for start-up error lines.
 */
public record DatabaseSettings(String host, int port, String database, String user, Optional<String> password,
                               int poolSize, String source) {

  public static DatabaseSettings from(ConfigReader c) {
    int poolSize = c.integer("ESP_DB_POOL_SIZE", 16, 1, 512);
    Optional<String> url = c.string("DATABASE_URL");
    DatabaseSettings given = url.isPresent() ? fromUrl(url.get(), poolSize) : new DatabaseSettings(
        c.string("PGHOST", "localhost"),
        c.port("PGPORT", 5432),
        c.string("PGDATABASE", "postgres"),
        null,
        Optional.empty(),
        poolSize,
        "PGHOST/PGPORT");
    return given.withLibpqDefaults(c);
  }

  /**
   * What libpq does when the URL (or PGHOST/PGPORT) leaves the user or password out: the user from
   * {@code PGUSER}, else the OS user; the password from {@code PGPASSWORD}, else the first matching
   * line of the password file ({@code PGPASSFILE}, else {@code ~/.pgpass}). Before this, a
   * {@code DATABASE_URL} without a user silently connected as the OS user whatever PGUSER said.
   */
  private DatabaseSettings withLibpqDefaults(ConfigReader c) {
    String from = source;
    String u = user;
    if (u == null) {
      Optional<String> pgUser = c.string("PGUSER");
      u = pgUser.orElse(System.getProperty("user.name", "postgres"));
      if (pgUser.isPresent() && source.equals("DATABASE_URL")) {
        from += ", user from PGUSER";
      }
    }
    Optional<String> pw = password;
    if (pw.isEmpty()) {
      pw = c.secret("PGPASSWORD");
      if (pw.isPresent() && source.equals("DATABASE_URL")) {
        from += ", password from PGPASSWORD";
      }
    }
    if (pw.isEmpty()) {
      Optional<String> file = c.string("PGPASSFILE").or(() -> c.string("HOME").map(h -> h + "/.pgpass"));
      if (file.isPresent()) {
        pw = PgPassFile.lookup(java.nio.file.Path.of(file.get()), host, port, database, u);
        if (pw.isPresent()) {
          from += ", password from " + (c.isSet("PGPASSFILE") ? "PGPASSFILE" : "~/.pgpass");
        }
      }
    }
    return new DatabaseSettings(host, port, database, u, pw, poolSize, from);
  }

  private static DatabaseSettings fromUrl(String raw, int poolSize) {
    String shown = redact(raw);
    URI uri;
    try {
      uri = new URI(raw.startsWith("jdbc:") ? raw.substring(5) : raw);
    } catch (URISyntaxException e) {
      throw new ConfigException("DATABASE_URL=" + shown + ": not a URL (postgresql://user:password@host:5432/db)");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new ConfigException("DATABASE_URL=" + shown + ": scheme must be postgresql://");
    }
    if (uri.getHost() == null) {
      throw new ConfigException("DATABASE_URL=" + shown + ": no host");
    }
    String user = null;
    Optional<String> password = Optional.empty();
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = parts[0].isEmpty() ? null : decode(parts[0]);
      if (parts.length == 2) {
        password = Optional.of(decode(parts[1]));
      }
    }
    String path = uri.getPath();
    String db = path == null || path.length() <= 1 ? "postgres" : path.substring(1);
    return new DatabaseSettings(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, db, user, password,
        poolSize, "DATABASE_URL");
  }

  /** The JDBC URL Flyway uses for migrations (credentials passed separately). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** host:port for messages; never includes credentials. */
  public String address() {
    return host + ":" + port;
  }

  /** The same server with another database (tests create one database per test class). */
  public DatabaseSettings withDatabase(String db) {
    return new DatabaseSettings(host, port, db, user, password, poolSize, source);
  }

  @Override
  public String toString() {
    return "postgresql://" + user + "@" + address() + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String redact(String url) {
    return url.replaceAll("://([^:@/]+):[^@/]*@", "://$1:***@");
  }
}
