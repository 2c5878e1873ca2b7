package dev.esprouter.analytics.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventWriterTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  static Vertx vertx;
  static Pool pool;
  static EventWriter writer;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = env.pool(vertx);
    writer = new EventWriter(pool, 60_000);
    env.database().sql("insert into tenants (id, name) values ('ten_w', 'w')");
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static void message(String id, String status) {
    env.database().sql("insert into messages (id, tenant_id, channel, recipient, status, provider) values ('" + id
        + "', 'ten_w', 'email', '" + id + "@example.com', '" + status + "', 'sendgrid')");
  }

  static IncomingEvent event(EventType type, String messageId, String key) {
    return new IncomingEvent(new DeliveryEvent(ProviderName.SENDGRID, type, messageId, null, null, Instant.now(), key,
        null, false, null), Instant.now());
  }

  static WriteResult write(List<IncomingEvent> events) throws Exception {
    return writer.write(events).await(20, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("One write records new events, skips duplicates inside and across writes, and keeps unknown ones aside")
  void recordsOnce() throws Exception {
    message("w1", "sent");
    WriteResult first = write(List.of(event(EventType.DELIVERED, "w1", "k1"), event(EventType.DELIVERED, "w1", "k1"),
        event(EventType.OPENED, "w1", "k2"), event(EventType.DELIVERED, "nobody", "k3")));
    assertThat(first.recorded()).hasSize(2);
    assertThat(first.unmatched()).hasSize(1);
    assertThat(first.duplicates()).isEqualTo(1);

    WriteResult again = write(List.of(event(EventType.DELIVERED, "w1", "k1"), event(EventType.DELIVERED, "nobody", "k3")));
    assertThat(again.recorded()).isEmpty();
    assertThat(again.unmatched()).isEmpty();
    assertThat(again.duplicates()).isEqualTo(2);

    assertThat(env.database().count("select count(*) from message_events where message_id = 'w1'")).isEqualTo(2);
    assertThat(env.database().count("select esp_status_rank(status) from messages where id = 'w1'")).isEqualTo(4);
    assertThat(env.database().count("select sum(delivered + opened) from provider_stats where provider = 'sendgrid'"))
        .isEqualTo(3);
  }

  @Test
  @DisplayName("An event kept aside and delivered again once its message exists is recorded, leaves the side table, "
      + "and is counted once")
  void keptAsideThenRedelivered() throws Exception {
    long before = env.database().count("select coalesce(sum(clicked), 0) from provider_stats where provider = 'sendgrid'");
    WriteResult early = write(List.of(event(EventType.CLICKED, "late1", "late1-click")));
    assertThat(early.unmatched()).hasSize(1);
    assertThat(env.database().count("select count(*) from unmatched_events where dedupe_key = 'late1-click'"))
        .isEqualTo(1);

    message("late1", "delivered");
    WriteResult redelivered = write(List.of(event(EventType.CLICKED, "late1", "late1-click")));
    assertThat(redelivered.recorded()).hasSize(1);
    assertThat(env.database().count("select count(*) from unmatched_events where dedupe_key = 'late1-click'"))
        .isZero();
    assertThat(env.database().count("select esp_status_rank(status) from messages where id = 'late1'")).isEqualTo(5);
    assertThat(env.database().count("select coalesce(sum(clicked), 0) from provider_stats where provider = 'sendgrid'"))
        .isEqualTo(before + 1);
  }

  @Test
  @DisplayName("A write with nothing new changes nothing")
  void emptyWrite() throws Exception {
    assertThat(write(List.of()).recorded()).isEmpty();
  }
}
