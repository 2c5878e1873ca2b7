package dev.esprouter.ingress;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Groups concurrent small requests into one database statement (group commit): an item goes out at
 * once when fewer than {@code maxInFlight} statements are running, else it waits for the next one,
 * which takes everything that queued meanwhile. Without a linger a lone request pays no extra
 * latency, and under load each statement carries many items. With a linger, an item that finds a
 * statement slot free waits that long for company first: at a steady moderate rate (requests
 * arriving about as fast as one statement returns) statements would otherwise carry one or two
 * items each, and PostgreSQL's cost per statement and commit, not per row, dominates.
 * Confined to one event loop: create one per HTTP verticle (route mount), never share across threads.
 *
 * @param <I> one request
 * @param <O> its answer; {@code flush} returns one answer per item, in order
 */
final class Coalescer<I, O> {

  private final Function<List<I>, Future<List<O>>> flush;
  private final int maxInFlight;
  private final int maxGroup;
  /** Runs its argument after the linger on this event loop; null for no linger. */
  private final Consumer<Runnable> afterLinger;
  private List<I> items = new ArrayList<>();
  private List<Promise<O>> promises = new ArrayList<>();
  private int inFlight;
  private boolean lingering;

  Coalescer(int maxInFlight, int maxGroup, Function<List<I>, Future<List<O>>> flush) {
    this(maxInFlight, maxGroup, null, flush);
  }

  Coalescer(int maxInFlight, int maxGroup, Consumer<Runnable> afterLinger, Function<List<I>, Future<List<O>>> flush) {
    this.flush = flush;
    this.maxInFlight = maxInFlight;
    this.maxGroup = maxGroup;
    this.afterLinger = afterLinger;
  }

  Future<O> add(I item) {
    Promise<O> p = Promise.promise();
    items.add(item);
    promises.add(p);
    if (items.size() >= maxGroup) {
      send();
    } else if (inFlight < maxInFlight) {
      if (afterLinger == null) {
        send();
      } else if (!lingering) {
        lingering = true;
        afterLinger.accept(() -> {
          lingering = false;
          if (!items.isEmpty() && inFlight < maxInFlight) {
            send();
          }
        });
      }
    }
    return p.future();
  }

  private void send() {
    List<I> group = items;
    List<Promise<O>> waiting = promises;
    items = new ArrayList<>();
    promises = new ArrayList<>();
    inFlight++;
    Future<List<O>> result;
    try {
      result = flush.apply(group);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      inFlight--;
      for (int i = 0; i < waiting.size(); i++) {
        if (ar.succeeded()) {
          waiting.get(i).complete(ar.result().get(i));
        } else {
          waiting.get(i).fail(ar.cause());
        }
      }
      if (!items.isEmpty() && inFlight < maxInFlight) {
        send();
      }
    });
  }
}
