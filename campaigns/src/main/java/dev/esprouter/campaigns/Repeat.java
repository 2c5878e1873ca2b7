package dev.esprouter.campaigns;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Runs an asynchronous step again and again while it answers {@code true}, each run a future of its
 * own. The obvious {@code step().compose(more -> more ? again() : done)} builds a chain one future
 * deeper per run, and when its last run completes the whole chain completes on one stack: a campaign
 * fed in a few thousand chunks in one go overflowed the event loop's stack there, the overflow was
 * swallowed, and the feed's future never completed (CampaignFeederTest.pauseResume, stuck short of
 * the end). Here the depth is one, whatever the number of runs.
 */
final class Repeat {

  private Repeat() {
  }

  /** Completes once {@code step} answers {@code false} (or fails with its failure); runs on {@code ctx}. */
  static Future<Void> whileTrue(Context ctx, Supplier<Future<Boolean>> step) {
    Promise<Void> done = Promise.promise();
    run(ctx, step, done);
    return done.future();
  }

  private static void run(Context ctx, Supplier<Future<Boolean>> step, Promise<Void> done) {
    Future<Boolean> f;
    try {
      f = step.get();
    } catch (RuntimeException e) {
      done.fail(e);
      return;
    }
    f.onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else if (Boolean.TRUE.equals(ar.result())) {
        // A hop through the context, not a call: a step that completed at once must not grow the stack either.
        ctx.runOnContext(v -> run(ctx, step, done));
      } else {
        done.complete();
      }
    });
  }
}
