package dev.esprouter.router.it;

import dev.esprouter.testkit.EspTestEnv;

/**
 * What router tests read back: statuses as the status writer (analytics, running beside the router)
 * derived them from the router's facts, and the router's own ledger.
 */
final class Statuses {

  private Statuses() {
  }

  static String of(EspTestEnv env, String messageId) {
    return env.database().string("select status from message_status where id = '" + messageId + "'");
  }

  static long inBatch(EspTestEnv env, String batchId, String status) {
    return env.database().count("select count(*) from message_status where batch_id = '" + batchId + "' and status = '"
        + status + "'");
  }

  /** Recipients of the batch in provider calls the ledger shows as made but not answered yet. */
  static long inFlight(EspTestEnv env, String batchId) {
    return env.database().count("select coalesce(sum(cardinality(message_ids)), 0) from send_calls "
        + "where chunk_key like '" + batchId + "/%' and results is null");
  }
}
