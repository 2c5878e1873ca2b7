package dev.esprouter.analytics;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.http.ApiKeys;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The analytics role running against the class's real broker and fresh database, with short
 * refresh and re-check periods, a producer for raw webhook records and an API key for its routes.
 */
final class AnalyticsHarness implements AutoCloseable {

  final EspTestEnv env;
  final RunningRoles roles;
  final KafkaProducer<String, Buffer> producer;
  final WebClient http;
  final String tenantId;
  final String apiKey;

  AnalyticsHarness(EspTestEnv env, Map<String, String> overrides) {
    this.env = env;
    Map<String, String> cfg = new HashMap<>(Map.of(
        "ESP_WEIGHTS_REFRESH_MS", "100",
        "ESP_WEIGHTS_WINDOW_REFRESH_MS", "100",
        "ESP_ANALYTICS_RECHECK_EVERY_MS", "100",
        "ESP_ANALYTICS_FIRST_RECHECK_MS", "100",
        "ESP_ANALYTICS_GROUP_ID", "analytics-" + UUID.randomUUID()));
    cfg.putAll(overrides);
    EspConfig config = env.config(cfg);
    env.createTopics(config);
    roles = RunningRoles.start(config, new AnalyticsRole(JsonEventsParser::new));
    producer = KafkaProducer.create(roles.vertx(), config.kafka().producerConfig("analytics-test"));
    http = WebClient.create(roles.vertx());
    tenantId = newTenant("acme");
    apiKey = newKey(tenantId);
  }

  String newTenant(String name) {
    String id = "ten_" + UUID.randomUUID().toString().substring(0, 8);
    env.database().sql("insert into tenants (id, name) values ('" + id + "', '" + name + id + "')");
    return id;
  }

  String newKey(String tenant) {
    String key = ApiKeys.generate();
    await(ApiKeys.store(roles.runtime().pool(), tenant, key));
    return key;
  }

  /**
   * A message as ingress accepted it (its request row) and as the status writer left it after the
   * router's facts (its status row).
   */
  String message(String channel, String recipient, ProviderName provider, String providerMessageId, String status) {
    String id = "msg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    env.database().sql("insert into messages (id, tenant_id, channel, recipient) values ('" + id + "', '" + tenantId
        + "', '" + channel + "', '" + recipient + "')");
    env.database().sql("insert into message_status (id, tenant_id, status, provider, provider_message_id, attempts, "
        + "sent_at) values ('" + id + "', '" + tenantId + "', '" + status + "', '" + provider.wire() + "', "
        + (providerMessageId == null ? "null" : "'" + providerMessageId + "'") + ", 1, now())");
    return id;
  }

  static DeliveryEvent event(ProviderName p, EventType type, String messageId, String dedupeKey) {
    return new DeliveryEvent(p, type, messageId, null, null, Instant.now(), dedupeKey, null, false, null);
  }

  static DeliveryEvent failure(ProviderName p, EventType type, String messageId, String dedupeKey, String reason,
                               boolean recipientSide) {
    return new DeliveryEvent(p, type, messageId, null, null, Instant.now(), dedupeKey, reason, recipientSide, null);
  }

  /** One webhook POST's worth of events, as the webhooks role puts it in Kafka. */
  void webhook(ProviderName p, List<DeliveryEvent> events) {
    webhook(p, events, Instant.now());
  }

  void webhook(ProviderName p, List<DeliveryEvent> events, Instant receivedAt) {
    JsonArray body = new JsonArray();
    events.forEach(e -> body.add(e.toJson()));
    raw(p, body.toBuffer(), receivedAt);
  }

  void raw(ProviderName p, Buffer body) {
    raw(p, body, Instant.now());
  }

  void raw(ProviderName p, Buffer body, Instant receivedAt) {
    KafkaProducerRecord<String, Buffer> r = KafkaProducerRecord.create(env.topics().webhooks(p), p.wire(), body);
    r.addHeader("esp-received-at", Long.toString(receivedAt.toEpochMilli()));
    await(producer.send(r));
  }

  long count(String sql) {
    return env.database().count(sql);
  }

  /** Waits (bounded) until the consumer has done what the condition checks. */
  static void eventually(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  HttpResponse<Buffer> get(String path, String key) {
    var req = http.get(roles.config().httpPort(), "127.0.0.1", path);
    if (key != null) {
      req.bearerTokenAuthentication(key);
    }
    return await(req.send());
  }

  HttpResponse<Buffer> delete(String path, String key) {
    return await(http.delete(roles.config().httpPort(), "127.0.0.1", path).bearerTokenAuthentication(key).send());
  }

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    producer.close();
    roles.close();
  }
}
