package dev.esprouter.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where PostgreSQL is: {@code DATABASE_URL} ({@code postgresql://user:pass@host:port/db}) or the
 * libpq variables {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER},
 * {@code PGPASSWORD}; default {@code postgresql://localhost:5432/postgres}.
 */
public record DatabaseSettings(String host, int port, String database, String user, Optional<String> password,
                               int poolSize, String source) {

  public static DatabaseSettings from(ConfigReader c) {
    int poolSize = c.integer("ESP_DB_POOL_SIZE", 16, 1, 512);
    Optional<String> url = c.string("DATABASE_URL");
    if (url.isPresent()) {
      return fromUrl(url.get(), poolSize);
    }
    return new DatabaseSettings(
        c.string("PGHOST", "localhost"),
        c.port("PGPORT", 5432),
        c.string("PGDATABASE", "postgres"),
        c.string("PGUSER", System.getProperty("user.name", "postgres")),
        c.secret("PGPASSWORD"),
        poolSize,
        "PGHOST/PGPORT");
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
    String user = System.getProperty("user.name", "postgres");
    Optional<String> password = Optional.empty();
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
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
