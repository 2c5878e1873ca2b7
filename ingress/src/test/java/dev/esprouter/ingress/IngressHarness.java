package dev.esprouter.ingress;

import dev.esprouter.common.Priority;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The ingress role running as the app runs it (real broker, fresh database), with an admin token,
 * a bootstrap key, and blocking helpers for the JUnit thread: HTTP calls and reading what reached
 * the send lanes.
 */
final class IngressHarness implements AutoCloseable {

  static final String ADMIN_TOKEN = "test-admin-token";
  static final String BOOTSTRAP_KEY = "esk_live_bootstrapkeyfortests0000000000000000";

  final EspTestEnv env;
  final RunningRoles roles;
  final WebClient http;

  private IngressHarness(EspTestEnv env, RunningRoles roles) {
    this.env = env;
    this.roles = roles;
    this.http = WebClient.create(roles.vertx());
  }

  static IngressHarness start(EspTestEnv env, Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>();
    all.put("ESP_ADMIN_TOKEN", ADMIN_TOKEN);
    all.put("ESP_BOOTSTRAP_API_KEY", BOOTSTRAP_KEY);
    all.put("ESP_ROLES", "ingress");
    all.putAll(overrides);
    EspConfig config = env.config(all);
    return new IngressHarness(env, RunningRoles.start(config, new IngressRole()));
  }

  static IngressHarness start(EspTestEnv env) {
    return start(env, Map.of());
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String apiKey, Buffer body, Map<String, String> headers) {
    HttpRequest<Buffer> req = http.requestAbs(method, roles.baseUrl() + path);
    if (apiKey != null) {
      req.putHeader("Authorization", "Bearer " + apiKey);
    }
    headers.forEach(req::putHeader);
    try {
      return (body == null ? req.send() : req.putHeader("content-type", "application/json").sendBuffer(body))
          .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  HttpResponse<Buffer> post(String path, String apiKey, JsonObject body) {
    return call(HttpMethod.POST, path, apiKey, body.toBuffer(), Map.of());
  }

  HttpResponse<Buffer> post(String path, String apiKey, JsonObject body, Map<String, String> headers) {
    return call(HttpMethod.POST, path, apiKey, body.toBuffer(), headers);
  }

  HttpResponse<Buffer> get(String path, String apiKey) {
    return call(HttpMethod.GET, path, apiKey, null, Map.of());
  }

  HttpResponse<Buffer> admin(HttpMethod method, String path, JsonObject body) {
    return call(method, path, ADMIN_TOKEN, body == null ? null : body.toBuffer(), Map.of());
  }

  /** A new tenant with its own key; returns {tenant id, key}. */
  String[] newTenant(String name, Integer ratePerSec) {
    JsonObject t = admin(HttpMethod.POST, "/admin/tenants", new JsonObject().put("name", name)
        .put("rate_limit_per_sec", ratePerSec)).bodyAsJsonObject();
    JsonObject k = admin(HttpMethod.POST, "/admin/tenants/" + t.getString("id") + "/keys", null).bodyAsJsonObject();
    return new String[] {t.getString("id"), k.getString("key"), k.getString("id")};
  }

  /** Every record on the three send lanes after {@code waitMs} of polling, read with the given isolation. */
  List<ConsumerRecord<String, byte[]>> sendRecords(String isolation, long waitMs) {
    return records(env.bootstrapServers(), roles.config().kafka().topicPrefix(), isolation, waitMs);
  }

  static List<ConsumerRecord<String, byte[]>> records(String bootstrap, String prefix, String isolation, long waitMs) {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put("bootstrap.servers", bootstrap);
    cfg.put("group.id", "ingress-test-" + UUID.randomUUID());
    cfg.put("isolation.level", isolation);
    cfg.put("enable.auto.commit", "false");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cfg, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (Priority p : Priority.values()) {
        for (PartitionInfo info : c.partitionsFor(prefix + "send." + p.wire(), Duration.ofSeconds(10))) {
          parts.add(new TopicPartition(info.topic(), info.partition()));
        }
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.currentTimeMillis() + waitMs;
      while (System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  static MultiMap headers(HttpResponse<Buffer> r) {
    return r.headers();
  }

  @Override
  public void close() {
    http.close();
    roles.close();
  }
}
