package dev.esprouter.router.ledger;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the router's ledger writes durable, many chunks' worth per statement: every request made
 * while a flush is running joins the next one (group commit), so PostgreSQL sees one statement and
 * one commit for however many chunks are in flight. Each request's future completes when its rows
 * are committed.
 *
 * <p>A write that fails because PostgreSQL is unavailable is retried (with backoff) until it
 * succeeds — the outcome of a call a provider answered is kept in memory, never lost and never
 * re-sent; the chunks waiting on it simply wait. A write that fails for a data error (a value
 * PostgreSQL refuses) is retried alone, so that one bad chunk fails only itself
 * ({@link DataError}) and the router can dead-letter it. Confined to the router's event loop.
 */
public final class LedgerWriter {

  private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);
  /** Flushes in flight at once (each on its own connection). */
  public static final int MAX_FLUSHES = 2;
  private static final long FIRST_BACKOFF_MS = 200;
  private static final long MAX_BACKOFF_MS = 5_000;

  /** PostgreSQL refused a value of this chunk (it will refuse it again): not an outage. */
  public static final class DataError extends RuntimeException {
    public DataError(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final String incarnation;
  private final ArrayDeque<LedgerRequest> pending = new ArrayDeque<>();
  private int flushing;
  private long backoffMs;
  private long retryTimer = -1;
  private final LedgerMetrics metrics;

  public LedgerWriter(Vertx vertx, Pool pool, String incarnation, LedgerMetrics metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.incarnation = incarnation;
    this.metrics = metrics;
  }

  /** Queues a request; its future completes once it is committed. */
  <T> Future<T> submit(LedgerRequest request, Promise<T> promise) {
    pending.add(request);
    kick();
    return promise.future();
  }

  public Future<Boolean> begin(LedgerRequest.Begin b) {
    return submit(b, b.promise);
  }

  public Future<Void> intents(LedgerRequest.Intents i) {
    return submit(i, i.promise);
  }

  public Future<Void> answered(LedgerRequest.Answered a) {
    return submit(a, a.promise);
  }

  public Future<Void> done(LedgerRequest.Done d) {
    return submit(d, d.promise);
  }

  /** Requests not yet committed (queued or in a flush). */
  public int backlog() {
    return pending.size();
  }

  private void kick() {
    while (flushing < MAX_FLUSHES && !pending.isEmpty() && retryTimer < 0) {
      List<LedgerRequest> batch = new ArrayList<>();
      // A request marked solo (after a data error in a shared flush) goes alone.
      if (pending.peek().solo) {
        batch.add(pending.poll());
      } else {
        while (!pending.isEmpty() && !pending.peek().solo && batch.size() < 2_000) {
          batch.add(pending.poll());
        }
      }
      flushing++;
      flush(batch);
    }
  }

  private void flush(List<LedgerRequest> batch) {
    FlushArgs args = new FlushArgs(incarnation);
    for (LedgerRequest r : batch) {
      r.addTo(args);
    }
    long start = System.nanoTime();
    pool.preparedQuery(LedgerSql.FLUSH).execute(args.tuple()).onComplete(ar -> {
      flushing--;
      if (ar.succeeded()) {
        backoffMs = 0;
        metrics.flush(batch.size(), System.nanoTime() - start);
        Set<String> fresh = new HashSet<>();
        for (Row row : ar.result()) {
          fresh.add(row.getString(0) + '\u0000' + row.getInteger(1));
        }
        for (LedgerRequest r : batch) {
          r.committed(fresh);
        }
      } else if (isDataError(ar.cause())) {
        if (batch.size() == 1) {
          batch.get(0).fail(new DataError("the ledger refused a value of this chunk: " + ar.cause().getMessage(),
              ar.cause()));
        } else {
          // Find the culprit: each request of the batch goes alone, in order, before anything newer.
          for (int i = batch.size() - 1; i >= 0; i--) {
            LedgerRequest r = batch.get(i);
            r.solo = true;
            pending.addFirst(r);
          }
        }
      } else {
        backoffMs = backoffMs == 0 ? FIRST_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        if (backoffMs == FIRST_BACKOFF_MS || backoffMs == MAX_BACKOFF_MS) {
          log.warn("ledger: writing {} requests failed, retrying every {} ms until PostgreSQL answers: {}",
              batch.size(), backoffMs, ar.cause().toString());
        }
        metrics.flushFailed();
        for (int i = batch.size() - 1; i >= 0; i--) {
          pending.addFirst(batch.get(i));
        }
        if (retryTimer < 0) {
          retryTimer = vertx.setTimer(backoffMs, id -> {
            retryTimer = -1;
            kick();
          });
        }
      }
      kick();
    });
  }

  /**
   * True for errors PostgreSQL will give again for the same values (data exceptions, integrity,
   * program limits), false for outages (connections, shutdown, resources) which a retry can outlive.
   */
  public static boolean isDataError(Throwable t) {
    if (t instanceof PgException pg && pg.getSqlState() != null) {
      String c = pg.getSqlState().substring(0, 2);
      return c.equals("22") || c.equals("23") || c.equals("42") || c.equals("54");
    }
    return false;
  }

  /** The arrays of one FLUSH statement. */
  static final class FlushArgs {
    final String incarnation;
    final List<String> nKey = new ArrayList<>();
    final List<Integer> nAttempt = new ArrayList<>();
    final List<String> nTenant = new ArrayList<>();
    final List<String> nBatch = new ArrayList<>();
    final List<Integer> nIndex = new ArrayList<>();
    final List<String> nCampaign = new ArrayList<>();
    final List<String> nChannel = new ArrayList<>();
    final List<Integer> nRecipients = new ArrayList<>();
    final List<String> nWeights = new ArrayList<>();
    final List<String> nSplit = new ArrayList<>();
    final List<String> cKey = new ArrayList<>();
    final List<Integer> cAttempt = new ArrayList<>();
    final List<Integer> cNo = new ArrayList<>();
    final List<String> cProvider = new ArrayList<>();
    final List<String> cIds = new ArrayList<>();
    final List<Boolean> cBegin = new ArrayList<>();
    final List<String> oKey = new ArrayList<>();
    final List<Integer> oAttempt = new ArrayList<>();
    final List<Integer> oNo = new ArrayList<>();
    final List<String> oResults = new ArrayList<>();
    final List<String> oProviderIds = new ArrayList<>();
    final List<String> oReasons = new ArrayList<>();
    final List<String> dKey = new ArrayList<>();
    final List<Integer> dAttempt = new ArrayList<>();
    final List<String> dPlaced = new ArrayList<>();

    FlushArgs(String incarnation) {
      this.incarnation = incarnation;
    }

    Tuple tuple() {
      return Tuple.tuple()
          .addArrayOfString(s(nKey)).addArrayOfInteger(i(nAttempt)).addArrayOfString(s(nTenant))
          .addArrayOfString(s(nBatch)).addArrayOfInteger(i(nIndex)).addArrayOfString(s(nCampaign))
          .addArrayOfString(s(nChannel)).addArrayOfInteger(i(nRecipients)).addArrayOfString(s(nWeights))
          .addArrayOfString(s(nSplit))
          .addArrayOfString(s(cKey)).addArrayOfInteger(i(cAttempt)).addArrayOfInteger(i(cNo))
          .addArrayOfString(s(cProvider)).addArrayOfString(s(cIds)).addArrayOfBoolean(cBegin.toArray(new Boolean[0]))
          .addArrayOfString(s(oKey)).addArrayOfInteger(i(oAttempt)).addArrayOfInteger(i(oNo))
          .addArrayOfString(s(oResults)).addArrayOfString(s(oProviderIds)).addArrayOfString(s(oReasons))
          .addArrayOfString(s(dKey)).addArrayOfInteger(i(dAttempt)).addArrayOfString(s(dPlaced))
          .addString(incarnation);
    }

    private static String[] s(List<String> l) {
      return l.toArray(new String[0]);
    }

    private static Integer[] i(List<Integer> l) {
      return l.toArray(new Integer[0]);
    }
  }
}
