package dev.esprouter.router.ledger;

/** What the ledger reports to the router's metrics. */
public interface LedgerMetrics {

  void flush(int requests, long nanos);

  void flushFailed();
}
