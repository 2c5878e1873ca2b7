package dev.esprouter.router.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.Priority;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ProviderRateLimiterTest {

  @Test
  @DisplayName("The burst goes at once; waiters are then served high before normal before low, FIFO within a lane")
  void priorityOrder(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      ProviderRateLimiter limiter = new ProviderRateLimiter(vertx, 200, 2, System::nanoTime);
      assertThat(limiter.acquire(Priority.LOW).isComplete()).isTrue();
      assertThat(limiter.acquire(Priority.LOW).isComplete()).isTrue();
      List<String> order = new CopyOnWriteArrayList<>();
      Future<Long> a = limiter.acquire(Priority.LOW).onSuccess(x -> order.add("low1"));
      Future<Long> b = limiter.acquire(Priority.NORMAL).onSuccess(x -> order.add("normal"));
      Future<Long> c = limiter.acquire(Priority.LOW).onSuccess(x -> order.add("low2"));
      Future<Long> d = limiter.acquire(Priority.HIGH).onSuccess(x -> order.add("high"));
      assertThat(limiter.waiting()).isEqualTo(4);
      Future.all(a, b, c, d).onComplete(ctx.succeeding(x -> ctx.verify(() -> {
        assertThat(order).containsExactly("high", "normal", "low1", "low2");
        ctx.completeNow();
      })));
    });
  }

  @Test
  @DisplayName("A throttle halves the rate and holds calls; quiet seconds climb it back to the configured rate, never above")
  void aimd(Vertx vertx, VertxTestContext ctx) {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(0);
    vertx.runOnContext(v -> {
      ProviderRateLimiter limiter = new ProviderRateLimiter(vertx, 100, 10, now::get);
      limiter.throttled(Duration.ofSeconds(30));
      assertThat(limiter.currentRate()).isEqualTo(50);
      assertThat(limiter.acquire(Priority.HIGH).isComplete()).isFalse();
      limiter.throttled(null);
      assertThat(limiter.currentRate()).isEqualTo(25);
      now.addAndGet(1_000_000_000L);
      limiter.recover();
      assertThat(limiter.currentRate()).isEqualTo(35);
      for (int i = 0; i < 20; i++) {
        now.addAndGet(1_000_000_000L);
        limiter.recover();
      }
      assertThat(limiter.currentRate()).isEqualTo(100);
      limiter.share(0.25);
      assertThat(limiter.currentRate()).isEqualTo(25);
      ctx.completeNow();
    });
  }

  @Test
  @DisplayName("A wait has a deadline: past it the call is refused (to go elsewhere), and a throttle longer than the "
      + "deadline refuses at once")
  void deadline(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      ProviderRateLimiter limiter = new ProviderRateLimiter(vertx, 1, 1, System::nanoTime);
      assertThat(limiter.acquire(Priority.HIGH, 50_000_000L).isComplete()).isTrue();
      long start = System.nanoTime();
      limiter.acquire(Priority.NORMAL, 50_000_000L).onComplete(ar -> ctx.verify(() -> {
        assertThat(ar.failed()).isTrue();
        assertThat(ar.cause()).isInstanceOf(ProviderRateLimiter.NoCapacityException.class);
        assertThat(System.nanoTime() - start).isLessThan(900_000_000L);
        limiter.throttled(Duration.ofSeconds(30));
        Future<Long> held = limiter.acquire(Priority.HIGH, 1_000_000_000L);
        assertThat(held.failed()).isTrue();
        assertThat(held.cause().getMessage()).contains("throttled");
        ctx.completeNow();
      }));
    });
  }

  @Test
  @DisplayName("The queue is bounded: one waiter too many is refused at once")
  void boundedQueue(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      ProviderRateLimiter limiter = new ProviderRateLimiter(vertx, 1, 1, 2, System::nanoTime);
      limiter.acquire(Priority.LOW);
      Future<Long> a = limiter.acquire(Priority.LOW);
      Future<Long> b = limiter.acquire(Priority.LOW);
      Future<Long> c = limiter.acquire(Priority.LOW);
      ctx.verify(() -> {
        assertThat(a.isComplete()).isFalse();
        assertThat(b.isComplete()).isFalse();
        assertThat(c.failed()).isTrue();
        assertThat(limiter.waiting()).isEqualTo(2);
        limiter.failAll("test over");
        assertThat(a.failed()).isTrue();
        ctx.completeNow();
      });
    });
  }

  @Test
  @DisplayName("The last fifth of the bucket is the high lane's: bulk calls wait while a transactional one goes")
  void highReserve(Vertx vertx, VertxTestContext ctx) {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(0);
    vertx.runOnContext(v -> {
      ProviderRateLimiter limiter = new ProviderRateLimiter(vertx, 10, 10, now::get);
      for (int i = 0; i < 8; i++) {
        assertThat(limiter.acquire(Priority.LOW).isComplete()).isTrue();
      }
      ctx.verify(() -> {
        assertThat(limiter.acquire(Priority.LOW).isComplete()).as("bulk may not take the reserve").isFalse();
        limiter.failAll("reset");
        assertThat(limiter.acquire(Priority.HIGH).isComplete()).as("the high lane takes it").isTrue();
        ctx.completeNow();
      });
    });
  }

  @Test
  @DisplayName("With another provider to go to, a call is refused at once while the provider holds us off, and a "
      + "throttle releases the waiters that could go elsewhere while the others keep waiting")
  void elsewhereDuringHold(Vertx vertx, VertxTestContext ctx) {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(0);
    vertx.runOnContext(v -> {
      ProviderRateLimiter limiter = new ProviderRateLimiter(vertx, 10, 1, now::get);
      assertThat(limiter.acquire(Priority.LOW, 5_000_000_000L, true).isComplete()).isTrue();
      Future<Long> canMove = limiter.acquire(Priority.LOW, 5_000_000_000L, true);
      Future<Long> pinned = limiter.acquire(Priority.LOW, 5_000_000_000L, false);
      ctx.verify(() -> {
        assertThat(canMove.isComplete()).isFalse();
        limiter.throttled(Duration.ofSeconds(2));
        assertThat(canMove.failed()).as("released to go elsewhere").isTrue();
        assertThat(pinned.isComplete()).as("a 2 s hold fits its 5 s deadline: it keeps waiting").isFalse();
        Future<Long> during = limiter.acquire(Priority.HIGH, 5_000_000_000L, true);
        assertThat(during.failed()).isTrue();
        assertThat(during.cause().getMessage()).contains("held off");
        Future<Long> noChoice = limiter.acquire(Priority.HIGH, 5_000_000_000L, false);
        assertThat(noChoice.isComplete()).as("without an alternative it waits out the hold").isFalse();
        limiter.failAll("test over");
        ctx.completeNow();
      });
    });
  }

  @Test
  @DisplayName("With another provider to go to, a wait the current rate cannot end before the deadline is refused "
      + "at once; a wait it can end is queued")
  void projectedWait(Vertx vertx, VertxTestContext ctx) {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(0);
    vertx.runOnContext(v -> {
      ProviderRateLimiter limiter = new ProviderRateLimiter(vertx, 2, 1, now::get);
      assertThat(limiter.acquire(Priority.NORMAL, 1_000_000_000L, true).isComplete()).isTrue();
      ctx.verify(() -> {
        // 2 calls/s, empty bucket: the first waiter needs 0.5 s, the second 1 s, the third 1.5 s.
        Future<Long> first = limiter.acquire(Priority.NORMAL, 1_000_000_000L, true);
        Future<Long> second = limiter.acquire(Priority.NORMAL, 1_000_000_000L, true);
        Future<Long> third = limiter.acquire(Priority.NORMAL, 1_000_000_000L, true);
        assertThat(first.isComplete()).isFalse();
        assertThat(second.isComplete()).isFalse();
        assertThat(third.failed()).isTrue();
        assertThat(third.cause().getMessage()).contains("cannot serve it within 1000 ms");
        // A high call is served before the normal waiters, so only the bucket stands before it.
        assertThat(limiter.acquire(Priority.HIGH, 600_000_000L, true).isComplete()).isFalse();
        Future<Long> pinned = limiter.acquire(Priority.NORMAL, 1_000_000_000L, false);
        assertThat(pinned.isComplete()).as("without an alternative it waits for its deadline").isFalse();
        limiter.failAll("test over");
        ctx.completeNow();
      });
    });
  }
}
