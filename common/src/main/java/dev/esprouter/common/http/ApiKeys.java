package dev.esprouter.common.http;

import dev.esprouter.common.Ids;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * API keys: {@code esk_live_} and 40 random base62 characters. Only the SHA-256 of a key is stored,
 * with a short prefix (the first 13 characters: {@code esk_live_} and 4 random ones) that is
 * indexed and safe to show in listings and logs.
 */
public final class ApiKeys {

  public static final String SCHEME = "esk_live_";
  private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {
  }

  public static String generate() {
    char[] out = new char[40];
    for (int i = 0; i < out.length; i++) {
      out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
    }
    return SCHEME + new String(out);
  }

  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  public static String prefix(String key) {
    return key.length() <= SCHEME.length() + 4 ? key : key.substring(0, SCHEME.length() + 4);
  }

  /** Stores a key for a tenant; returns the key id. */
  public static Future<String> store(Pool pool, String tenantId, String key) {
    String id = Ids.apiKey();
    return pool.preparedQuery("insert into api_keys (id, tenant_id, prefix, key_hash) values ($1, $2, $3, $4)")
        .execute(Tuple.of(id, tenantId, prefix(key), io.vertx.core.buffer.Buffer.buffer(hash(key))))
        .map(r -> id);
  }

  /**
   * Makes sure a tenant named {@code default} exists and accepts {@code key} (ESP_BOOTSTRAP_API_KEY),
   * marked as the bootstrap key, and revokes every other bootstrap key: changing the variable retires
   * the previous key. Keys made through the admin API are never touched. One transaction; idempotent
   * across restarts and concurrent starts with the same key.
   */
  public static Future<String> ensureBootstrap(Pool pool, String key) {
    io.vertx.core.buffer.Buffer hash = io.vertx.core.buffer.Buffer.buffer(hash(key));
    return pool.withTransaction(tx -> tx
        .preparedQuery("insert into tenants (id, name) values ($1, 'default') on conflict (name) do nothing")
        .execute(Tuple.of(Ids.tenant()))
        .compose(r -> tx.preparedQuery("select id from tenants where name = 'default'").execute())
        .compose(rows -> {
          String tenantId = rows.iterator().next().getString(0);
          return tx.preparedQuery("insert into api_keys (id, tenant_id, prefix, key_hash, bootstrap) "
                  + "values ($1, $2, $3, $4, true) on conflict (key_hash) do update set revoked_at = null, "
                  + "tenant_id = excluded.tenant_id, bootstrap = true")
              .execute(Tuple.of(Ids.apiKey(), tenantId, prefix(key), hash))
              .compose(x -> tx.preparedQuery("update api_keys set revoked_at = now() where bootstrap "
                  + "and key_hash <> $1 and revoked_at is null").execute(Tuple.of(hash)))
              .map(x -> tenantId);
        }));
  }
}
