package dev.esprouter.common.status;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/**
 * The router's record of how each chunk of a batch was routed (its ledger): for {@code GET
 * /v1/batches/{id}}, which shows the weights each chunk was split by. Registered in
 * {@link dev.esprouter.common.runtime.Services} in every process that has the router.
 */
public interface ChunkHistory {

  /** {@code [{"chunk_index","attempt","channel","recipients","weights","split","sent_at"}]} in chunk order. */
  Future<JsonArray> chunks(String batchId);
}
