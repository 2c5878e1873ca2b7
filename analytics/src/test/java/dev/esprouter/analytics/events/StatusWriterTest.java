package dev.esprouter.analytics.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Channel;
import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.EventType;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.facts.SendFacts;
import dev.esprouter.common.routing.DomainGroup;
import dev.esprouter.ingress.AcceptedMessages;
import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The status writer against a real database: facts and events in any order, each applied once. */
class StatusWriterTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  static Vertx vertx;
  static Pool pool;
  static StatusWriter writer;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = env.pool(vertx);
    writer = new StatusWriter(pool, new AcceptedMessages(pool), 60_000);
    env.database().sql("insert into tenants (id, name) values ('ten_w', 'w')");
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static void accepted(String id) {
    env.database().sql("insert into messages (id, tenant_id, batch_id, channel, recipient) values ('" + id
        + "', 'ten_w', 'bat_w', 'email', '" + id + "@example.com')");
  }

  static IncomingEvent event(EventType type, String messageId, String key) {
    return new IncomingEvent(new DeliveryEvent(ProviderName.SENDGRID, type, messageId, null, null, Instant.now(), key,
        null, false, null), Instant.now());
  }

  static SendFacts sent(String chunk, ProviderName p, String... ids) {
    return new SendFacts(chunk, 0, "ten_w", "bat_" + ids[0], null, Channel.EMAIL, Instant.now(),
        List.of(new SendFacts.Accepted(p, List.of(ids), List.of("pid-" + chunk), Map.of(DomainGroup.OTHER, ids.length))),
        List.of(), List.of(), SendFacts.Moved.NONE, SendFacts.Moved.NONE, SendFacts.Moved.NONE, List.of());
  }

  static WriteResult write(List<IncomingEvent> events, List<SendFacts> facts) throws Exception {
    return writer.write(events, facts).await(20, TimeUnit.SECONDS);
  }

  static String status(String id) {
    return env.database().string("select status || '/' || coalesce(provider, '-') from message_status where id = '"
        + id + "'");
  }

  /** The counter of a status in the batch of message {@code id} (each test's messages have a batch of their own). */
  static long counter(String id, String status) {
    return env.database().count("select coalesce(sum(n), 0) from batch_counters where batch_id = 'bat_" + id
        + "' and status = '" + status + "'");
  }

  static long sentStats(String provider) {
    return env.database().count("select coalesce(sum(sent), 0) from provider_stats where provider = '" + provider + "'");
  }

  @Test
  @DisplayName("The router's sent fact, then events: status moves forward once, duplicates change nothing, counters follow")
  void factThenEvents() throws Exception {
    accepted("w1");
    write(List.of(), List.of(sent("c1", ProviderName.SENDGRID, "w1")));
    assertThat(status("w1")).isEqualTo("sent/sendgrid");
    assertThat(counter("w1", "sent")).isEqualTo(1);
    WriteResult first = write(List.of(event(EventType.DELIVERED, "w1", "k1"), event(EventType.DELIVERED, "w1", "k1"),
        event(EventType.OPENED, "w1", "k2")), List.of(sent("c1", ProviderName.SENDGRID, "w1")));
    assertThat(first.recorded()).hasSize(2);
    assertThat(first.duplicates()).isEqualTo(1);
    WriteResult again = write(List.of(event(EventType.DELIVERED, "w1", "k1")), List.of());
    assertThat(again.recorded()).isEmpty();
    assertThat(again.duplicates()).isEqualTo(1);
    assertThat(status("w1")).isEqualTo("opened/sendgrid");
    assertThat(counter("w1", "sent")).isZero();
    assertThat(counter("w1", "opened")).isEqualTo(1);
    assertThat(env.database().count("select count(*) from message_events where message_id = 'w1'")).isEqualTo(2);
    assertThat(sentStats("sendgrid")).isEqualTo(1);
    assertThat(counter("w1", "delivered")).isZero();
  }

  @Test
  @DisplayName("A delivery that overtakes the router's fact names its provider; the fact that follows fills in its "
      + "provider id and sent time without moving it back, and is counted as sent once")
  void eventBeforeFact() throws Exception {
    accepted("w2");
    long before = sentStats("postmark");
    write(List.of(new IncomingEvent(new DeliveryEvent(ProviderName.POSTMARK, EventType.DELIVERED, "w2", null, null,
        Instant.now(), "w2-d", null, false, null), Instant.now())), List.of());
    assertThat(status("w2")).isEqualTo("delivered/postmark");
    write(List.of(), List.of(sent("c2", ProviderName.POSTMARK, "w2")));
    write(List.of(), List.of(sent("c2", ProviderName.POSTMARK, "w2")));
    assertThat(status("w2")).isEqualTo("delivered/postmark");
    assertThat(env.database().count("select count(*) from message_status where id = 'w2' and sent_at is not null "
        + "and provider_message_id = 'pid-c2'")).isEqualTo(1);
    assertThat(sentStats("postmark")).isEqualTo(before + 1);
  }

  @Test
  @DisplayName("Retry, dead and requeue: the one backward move, with the counters moved back too")
  void deadThenRequeued() throws Exception {
    accepted("w3");
    SendFacts retry = new SendFacts("c3", 0, "ten_w", "bat_w3", null, Channel.EMAIL, Instant.now(), List.of(), List.of(),
        List.of(new SendFacts.Failover("w3", ProviderName.SENDGRID, "transient", "503")),
        new SendFacts.Moved(List.of("w3"), "every email provider failed", Instant.now()), SendFacts.Moved.NONE,
        SendFacts.Moved.NONE, List.of());
    write(List.of(), List.of(retry));
    assertThat(status("w3")).isEqualTo("queued/-");
    SendFacts dead = new SendFacts("c3", 1, "ten_w", "bat_w3", null, Channel.EMAIL, Instant.now(), List.of(), List.of(),
        List.of(), SendFacts.Moved.NONE, new SendFacts.Moved(List.of("w3"), "gave up", null), SendFacts.Moved.NONE,
        List.of());
    write(List.of(), List.of(dead));
    assertThat(status("w3")).isEqualTo("dead/-");
    long deadBefore = counter("w3", "dead");
    SendFacts requeued = new SendFacts("rq/w3/1", 0, "ten_w", "bat_w3", null, Channel.EMAIL, Instant.now(), List.of(),
        List.of(), List.of(), SendFacts.Moved.NONE, SendFacts.Moved.NONE, SendFacts.Moved.NONE, List.of("w3"));
    write(List.of(), List.of(requeued, sent("rq/w3/1", ProviderName.SOCKETLABS, "w3")));
    assertThat(status("w3")).isEqualTo("sent/socketlabs");
    assertThat(counter("w3", "dead")).isEqualTo(deadBefore - 1);
    assertThat(env.database().string("select string_agg(type, ',' order by occurred_at, dedupe_key) "
        + "from message_events where message_id = 'w3'")).isEqualTo("failover,retry_scheduled,dead,requeued");
  }

  @Test
  @DisplayName("An event that names no message of ours is kept aside once and counted once")
  void unknown() throws Exception {
    IncomingEvent e = new IncomingEvent(new DeliveryEvent(ProviderName.SENDGRID, EventType.DELIVERED, null, "x-1", null,
        Instant.now(), "nobody-k", null, false, null), Instant.now());
    assertThat(write(List.of(e), List.of()).unmatched()).hasSize(1);
    assertThat(write(List.of(e), List.of()).unmatched()).isEmpty();
    assertThat(env.database().count("select count(*) from unmatched_events where dedupe_key = 'nobody-k'")).isEqualTo(1);
  }

  @Test
  @DisplayName("A write with nothing in it changes nothing")
  void emptyWrite() throws Exception {
    assertThat(write(List.of(), List.of()).recorded()).isEmpty();
  }
}
