package dev.esprouter.ingress;

import dev.esprouter.common.SendChunk;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The PostgreSQL side of accepting a batch: its batch row and message rows, written over a few
 * connections at once, each in its own open transaction, and then all committed or all rolled back
 * together. Inserting 10,000 rows (heap plus three indexes each) is most of a batch's accept time
 * and one backend runs on one core; writing the chunks over two backends lets PostgreSQL use both.
 * Every transaction stays open until the batch's Kafka transaction has decided, so a refused batch
 * leaves no row; once Kafka has committed, a failing commit here is the same window as with one
 * transaction (the router's upsert writes the missing message rows).
 */
final class BatchRows {

  private final List<SqlConnection> connections;
  private final List<Transaction> transactions;

  private BatchRows(List<SqlConnection> connections, List<Transaction> transactions) {
    this.connections = connections;
    this.transactions = transactions;
  }

  /** {@code writers} connections from the pool, each with a transaction begun; none kept if any fails. */
  static Future<BatchRows> open(Pool pool, int writers) {
    List<Future<SqlConnection>> gets = new ArrayList<>(writers);
    for (int i = 0; i < writers; i++) {
      gets.add(pool.getConnection());
    }
    return Future.join(gets).transform(got -> {
      List<SqlConnection> conns = new ArrayList<>(writers);
      for (Future<SqlConnection> g : gets) {
        if (g.succeeded()) {
          conns.add(g.result());
        }
      }
      if (got.failed()) {
        return closeAll(conns).compose(v -> Future.failedFuture(got.cause()));
      }
      List<Future<Transaction>> begins = new ArrayList<>(writers);
      for (SqlConnection c : conns) {
        begins.add(c.begin());
      }
      return Future.join(begins).transform(begun -> begun.succeeded()
          ? Future.succeededFuture(new BatchRows(conns, begins.stream().map(Future::result).toList()))
          : closeAll(conns).compose(v -> Future.failedFuture(begun.cause())));
    });
  }

  /**
   * Writes the batch row (first connection) and each chunk's rows, chunk {@code i} on connection
   * {@code i % writers}; statements on one connection are pipelined.
   */
  Future<Void> write(Function<SqlConnection, Future<?>> batchRow, List<SendChunk> chunks) {
    List<Future<?>> writes = new ArrayList<>(chunks.size() + 1);
    writes.add(batchRow.apply(connections.get(0)));
    for (int i = 0; i < chunks.size(); i++) {
      writes.add(MessageStore.insertForBatch(connections.get(i % connections.size()), MessageRow.of(chunks.get(i))));
    }
    return Future.all(writes).mapEmpty();
  }

  /** Commits every transaction; fails if any commit failed (the others stay committed). */
  Future<Void> commit() {
    return Future.join(transactions.stream().map(Transaction::commit).toList()).mapEmpty();
  }

  /** Rolls every transaction back; fails if any rollback failed. */
  Future<Void> rollback() {
    return Future.join(transactions.stream().map(Transaction::rollback).toList()).mapEmpty();
  }

  /** Returns the connections to the pool; call after {@link #commit} or {@link #rollback}. */
  Future<Void> close() {
    return closeAll(connections);
  }

  private static Future<Void> closeAll(List<SqlConnection> conns) {
    return Future.join(conns.stream().map(SqlConnection::close).toList()).mapEmpty();
  }
}
