package dev.esprouter.common;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of one send record in Kafka: at most {@link #MAX_RECIPIENTS} recipients of one batch
 * (or one single message) sharing content, channel and priority. Ingress writes it to
 * {@code send.<priority>} keyed by {@link #key()}; the router consumes it, and re-publishes the
 * recipients it could not place to {@code send.retry} with {@code attempt + 1} and
 * {@code notBefore}. A single message has no batch id and is keyed by its message id.
 *
 * @param chunkIndex  0-based index of this chunk within its batch (0 for a single message)
 * @param chunkCount  how many chunks the batch has (1 for a single message)
 * @param provider    a provider pin, or null to split by weight
 * @param sendAt      not before this time (the request's {@code send_at}), or null
 * @param notBefore   not before this time (a retry's backoff), or null
 * @param campaignId  the campaign this chunk belongs to, or null
 * @param chunkId     the chunk's identity in the router's ledger when it is not the default
 *                    ({@link #ledgerKey()}): a DLQ requeue, a campaign's deterministic chunk; null otherwise
 */
public record SendChunk(String batchId, String tenantId, int chunkIndex, int chunkCount, Channel channel,
                        Priority priority, String provider, Instant sendAt, Instant notBefore, int attempt,
                        Content content, List<Recipient> recipients, Instant acceptedAt, String campaignId,
                        String chunkId) {

  public static final int MAX_RECIPIENTS = 500;

  /** A chunk with the default ledger identity (batch and index, or the single message's id). */
  public SendChunk(String batchId, String tenantId, int chunkIndex, int chunkCount, Channel channel,
                   Priority priority, String provider, Instant sendAt, Instant notBefore, int attempt,
                   Content content, List<Recipient> recipients, Instant acceptedAt, String campaignId) {
    this(batchId, tenantId, chunkIndex, chunkCount, channel, priority, provider, sendAt, notBefore, attempt, content,
        recipients, acceptedAt, campaignId, null);
  }

  /**
   * What identifies this chunk in the router's ledger, the same for every delivery of the same record
   * and for its retries (which differ by {@code attempt}): {@code chunkId} when set, else
   * {@code <batch id>/<chunk index>}, else the single message's id.
   */
  public String ledgerKey() {
    if (chunkId != null) {
      return chunkId;
    }
    return batchId != null ? batchId + "/" + chunkIndex : recipients.get(0).messageId();
  }

  /** The Kafka key: the batch id (keeps a batch's chunks on one partition, in order), else the message id. */
  public String key() {
    return batchId != null ? batchId : recipients.get(0).messageId();
  }

  public boolean isSingle() {
    return batchId == null;
  }

  public SendChunk withRecipients(List<Recipient> subset, int nextAttempt, Instant nextNotBefore) {
    return new SendChunk(batchId, tenantId, chunkIndex, chunkCount, channel, priority, provider, sendAt,
        nextNotBefore, nextAttempt, content, List.copyOf(subset), acceptedAt, campaignId, chunkId);
  }

  public JsonObject toJson() {
    JsonArray rs = new JsonArray(new ArrayList<>(recipients.size()));
    for (Recipient r : recipients) {
      rs.add(r.toJson());
    }
    JsonObject o = new JsonObject()
        .put("tenant_id", tenantId)
        .put("chunk", chunkIndex)
        .put("chunks", chunkCount)
        .put("channel", channel.wire())
        .put("priority", priority.wire())
        .put("attempt", attempt)
        .put("content", content.toJson())
        .put("recipients", rs)
        .put("accepted_at", acceptedAt.toString());
    if (batchId != null) {
      o.put("batch_id", batchId);
    }
    if (provider != null) {
      o.put("provider", provider);
    }
    if (sendAt != null) {
      o.put("send_at", sendAt.toString());
    }
    if (notBefore != null) {
      o.put("not_before", notBefore.toString());
    }
    if (campaignId != null) {
      o.put("campaign_id", campaignId);
    }
    if (chunkId != null) {
      o.put("chunk_id", chunkId);
    }
    return o;
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  public static SendChunk fromBuffer(Buffer b) {
    return fromJson(new JsonObject(b));
  }

  public static SendChunk fromJson(JsonObject o) {
    JsonArray rs = o.getJsonArray("recipients");
    List<Recipient> recipients = new ArrayList<>(rs.size());
    for (int i = 0; i < rs.size(); i++) {
      recipients.add(Recipient.fromJson(rs.getJsonObject(i)));
    }
    return new SendChunk(
        o.getString("batch_id"),
        o.getString("tenant_id"),
        o.getInteger("chunk", 0),
        o.getInteger("chunks", 1),
        Channel.fromWire(o.getString("channel")),
        Priority.fromWire(o.getString("priority")),
        o.getString("provider"),
        instant(o.getString("send_at")),
        instant(o.getString("not_before")),
        o.getInteger("attempt", 0),
        Content.fromJson(o.getJsonObject("content")),
        List.copyOf(recipients),
        instant(o.getString("accepted_at")),
        o.getString("campaign_id"),
        o.getString("chunk_id"));
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
