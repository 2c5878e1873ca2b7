package dev.esprouter.router.it;

import static dev.esprouter.router.it.RouterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.common.Channel;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.router.RouterRole;
import dev.esprouter.testkit.EspTestEnv;
import dev.esprouter.testkit.RunningRoles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A chunk delivered again finds what an earlier delivery did in the ledger (docs/LEDGER.md): answered
 * recipients are never sent again; an open call of a dead owner is in doubt and sent again; an open
 * call of a live owner is waited for.
 */
class LedgerResumeTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static ProviderStandIn providers;
  private static RunningRoles router;
  private static RouterFixture fixture;

  @BeforeAll
  static void start() {
    providers = new ProviderStandIn();
    Map<String, String> o = new HashMap<>(providers.baseUrls());
    o.put("ESP_PROVIDERS_MODE", "sandbox");
    o.put("ESP_ROLES", "router,analytics");
    o.put("ESP_ROUTING_WEIGHTS", "fixed");
    o.put("ESP_PRIOR_WEIGHTS_EMAIL", "sendgrid:1000,postmark:0,socketlabs:0,sparkpost:0");
    o.put("ESP_ROUTER_DEAD_AFTER_MS", "4000");
    EspConfig config = env.config(o);
    env.createTopics(config);
    router = RunningRoles.start(config, new RouterRole(), new AnalyticsRole());
    fixture = new RouterFixture(config);
  }

  @AfterAll
  static void stop() {
    fixture.close();
    router.close();
    providers.close();
  }

  /** A chunk of five, and the ledger of an earlier delivery: r0 accepted, r1 refused, r2–r3 in an open call of {@code owner}. */
  private static SendChunk earlierDelivery(String owner, boolean ownerAlive) {
    SendChunk chunk = RouterFixture.batch("ten_a", Channel.EMAIL, RouterFixture.email(), Priority.NORMAL, 5, null).get(0);
    List<Recipient> r = chunk.recipients();
    String key = chunk.ledgerKey();
    env.database().sql("insert into router_incarnations (incarnation, instance_id, heartbeat_at, stopped_at) values ('"
        + owner + "', 'other-host:1', now(), " + (ownerAlive ? "null" : "now()") + ")");
    env.database().sql("insert into send_chunks (chunk_key, attempt, channel, recipients, incarnation) values ('" + key
        + "', 0, 'email', 5, '" + owner + "')");
    env.database().sql("insert into send_calls (chunk_key, attempt, call_no, incarnation, provider, message_ids, results, "
        + "provider_ids, reasons) values ('" + key + "', 0, 0, '" + owner + "', 'sendgrid', array['" + r.get(0).messageId()
        + "', '" + r.get(1).messageId() + "'], 'ar', 'sg-1', E'\\x1f406 inactive')");
    env.database().sql("insert into send_calls (chunk_key, attempt, call_no, incarnation, provider, message_ids) values ('"
        + key + "', 0, 1, '" + owner + "', 'sendgrid', array['" + r.get(2).messageId() + "', '" + r.get(3).messageId()
        + "'])");
    return chunk;
  }

  private static int acceptedTimes(Recipient r) {
    var n = providers.accepted(ProviderName.SENDGRID).get(r.messageId());
    return n == null ? 0 : n.get();
  }

  @Test
  @DisplayName("A dead owner's open call is in doubt and sent again; answered recipients are not; the facts say all")
  void deadOwner() {
    SendChunk chunk = earlierDelivery("inc_dead_" + System.nanoTime(), false);
    List<Recipient> r = chunk.recipients();
    fixture.publish(chunk);
    await("the chunk done", 30, () -> env.database().count("select count(*) from send_chunks where chunk_key = '"
        + chunk.ledgerKey() + "' and state = 'done'") == 1);
    assertThat(acceptedTimes(r.get(0))).isZero();
    assertThat(acceptedTimes(r.get(1))).isZero();
    assertThat(acceptedTimes(r.get(2))).isEqualTo(1);
    assertThat(acceptedTimes(r.get(3))).isEqualTo(1);
    assertThat(acceptedTimes(r.get(4))).isEqualTo(1);
    await("statuses from the facts", 20, () -> "sent".equals(Statuses.of(env, r.get(0).messageId()))
        && "failed".equals(Statuses.of(env, r.get(1).messageId())) && Statuses.inBatch(env, chunk.batchId(), "sent") == 4);
    assertThat(router.registry().get("esp_router_in_doubt_recipients_total").counter().count()).isGreaterThanOrEqualTo(2);

    // Delivered once more: done in the ledger, nothing is sent.
    fixture.publish(chunk);
    fixture.publish(chunk);
    RouterFixture.sleep(1500);
    for (Recipient x : r.subList(2, 5)) {
      assertThat(acceptedTimes(x)).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("A live owner's open call is waited for: once it is answered, its recipients are not sent again")
  void liveOwner() {
    String owner = "inc_live_" + System.nanoTime();
    SendChunk chunk = earlierDelivery(owner, true);
    List<Recipient> r = chunk.recipients();
    fixture.publish(chunk);
    RouterFixture.sleep(1000);
    assertThat(acceptedTimes(r.get(4))).as("waiting for the live owner's call").isZero();
    // The live owner writes the answer of its call, and keeps beating.
    env.database().sql("update send_calls set results = 'aa', provider_ids = 'sg-2', answered_at = now() "
        + "where chunk_key = '" + chunk.ledgerKey() + "' and call_no = 1");
    env.database().sql("update router_incarnations set heartbeat_at = now() where incarnation = '" + owner + "'");
    await("the chunk done", 30, () -> env.database().count("select count(*) from send_chunks where chunk_key = '"
        + chunk.ledgerKey() + "' and state = 'done'") == 1);
    assertThat(acceptedTimes(r.get(2))).isZero();
    assertThat(acceptedTimes(r.get(3))).isZero();
    assertThat(acceptedTimes(r.get(4))).isEqualTo(1);
    await("statuses from the facts", 20, () -> Statuses.inBatch(env, chunk.batchId(), "sent") == 4);
  }
}
