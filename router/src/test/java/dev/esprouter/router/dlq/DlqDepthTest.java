package dev.esprouter.router.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.db.Db;
import dev.esprouter.router.RouterMetrics;
import dev.esprouter.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("esp_dlq_depth_messages: dead letters not requeued, counted on a timer with a bound")
class DlqDepthTest {

  private static TestDatabase db;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    pool = Db.pool(vertx, db.settings());
    for (int i = 0; i < 5; i++) {
      db.sql("insert into dead_letters (message_id, tenant_id, channel, recipient, priority, attempts, reason, content"
          + (i < 2 ? ", requeued_at" : "") + ") values ('msg_" + i + "', 'ten_a', 'email', 'a" + i
          + "@x.example', 'normal', 3, 'exhausted', '{}'" + (i < 2 ? ", now()" : "") + ")");
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
    vertx.close().await(5, TimeUnit.SECONDS);
    db.close();
  }

  @Test
  @DisplayName("requeued rows do not count; the gauge reads -1 until the first count")
  void counts() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RouterMetrics metrics = new RouterMetrics(registry);
    assertThat(depth(registry)).isEqualTo(-1);
    DlqDepth depth = new DlqDepth(vertx, pool, metrics, new DlqDepth.Settings(100, 1000)).start();
    try {
      await(registry, 3);
      db.sql("update dead_letters set requeued_at = now() where message_id = 'msg_4'");
      await(registry, 2);
    } finally {
      depth.stop();
    }
  }

  @Test
  @DisplayName("past the bound the gauge reports the bound (one bounded scan per refresh)")
  void bounded() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DlqDepth depth = new DlqDepth(vertx, pool, new RouterMetrics(registry), new DlqDepth.Settings(100, 1)).start();
    try {
      await(registry, 1);
    } finally {
      depth.stop();
    }
  }

  private static double depth(SimpleMeterRegistry registry) {
    return registry.get("esp_dlq_depth_messages").gauge().value();
  }

  private static void await(SimpleMeterRegistry registry, double expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (depth(registry) != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(depth(registry)).isEqualTo(expected);
  }
}
