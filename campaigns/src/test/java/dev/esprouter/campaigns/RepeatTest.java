package dev.esprouter.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Repeat runs an asynchronous step any number of times without a chain of futures as deep")
class RepeatTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A step that answers after a hop through the event loop, as a query or a Kafka send does. */
  private static Future<Boolean> hop(Context ctx, AtomicInteger runs, int times) {
    Promise<Boolean> p = Promise.promise();
    ctx.runOnContext(v -> p.complete(runs.incrementAndGet() < times));
    return p.future();
  }

  /** {@link Repeat#whileTrue} started on {@code ctx}, as the feeder starts it on its event loop. */
  private static Future<Void> repeat(Context ctx, java.util.function.Supplier<Future<Boolean>> step) throws Exception {
    Promise<Future<Void>> started = Promise.promise();
    ctx.runOnContext(v -> started.complete(Repeat.whileTrue(ctx, step)));
    return started.future().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("20,000 runs complete (a compose chain that deep overflows the stack and never completes)")
  void deep() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    AtomicInteger runs = new AtomicInteger();
    repeat(ctx, () -> hop(ctx, runs, 20_000)).await(60, TimeUnit.SECONDS);
    assertThat(runs.get()).isEqualTo(20_000);
  }

  @Test
  @DisplayName("steps that complete at once do not grow the stack either")
  void synchronous() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    AtomicInteger runs = new AtomicInteger();
    repeat(ctx, () -> Future.succeededFuture(runs.incrementAndGet() < 50_000)).await(60, TimeUnit.SECONDS);
    assertThat(runs.get()).isEqualTo(50_000);
  }

  @Test
  @DisplayName("a failed step ends it with that failure")
  void failure() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    AtomicInteger runs = new AtomicInteger();
    Future<Void> done = repeat(ctx, () -> runs.incrementAndGet() < 3
        ? Future.succeededFuture(true) : Future.failedFuture(new IllegalStateException("third")));
    assertThatThrownBy(() -> done.await(10, TimeUnit.SECONDS)).hasMessageContaining("third");
    assertThat(runs.get()).isEqualTo(3);
  }
}
