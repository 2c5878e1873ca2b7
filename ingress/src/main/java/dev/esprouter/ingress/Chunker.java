package dev.esprouter.ingress;

import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a batch's recipients into {@link SendChunk}s of at most {@link SendChunk#MAX_RECIPIENTS}
 * recipients and at most {@code maxChunkBytes} of JSON, so that recipients with large data never
 * make a record the broker refuses (its default limit is 1 MiB).
 */
final class Chunker {

  /** A chunk and its Kafka record value, encoded once. */
  record Encoded(SendChunk chunk, Buffer value) {
  }

  private Chunker() {
  }

  /**
   * The chunks of a batch with their record values. Usually every group of
   * {@link SendChunk#MAX_RECIPIENTS} fits the byte limit, and each chunk is encoded exactly once
   * (10,000 recipients are a few MB of JSON, encoded on the event loop). Only when a group is over
   * the limit are the recipients measured one by one and cut by size ({@link #chunks}).
   */
  static List<Encoded> encoded(SendRequest req, String tenantId, String batchId, List<Recipient> recipients,
                               int maxChunkBytes, Instant acceptedAt) {
    int max = SendChunk.MAX_RECIPIENTS;
    int count = (recipients.size() + max - 1) / max;
    List<Encoded> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      List<Recipient> group = List.copyOf(recipients.subList(i * max, Math.min(recipients.size(), (i + 1) * max)));
      SendChunk c = chunk(req, tenantId, batchId, i, count, group, acceptedAt);
      Buffer value = c.toBuffer();
      if (value.length() > maxChunkBytes) {
        List<Encoded> bySize = new ArrayList<>();
        for (SendChunk sized : chunks(req, tenantId, batchId, recipients, maxChunkBytes, acceptedAt)) {
          bySize.add(new Encoded(sized, sized.toBuffer()));
        }
        return bySize;
      }
      out.add(new Encoded(c, value));
    }
    return out;
  }

  static List<SendChunk> chunks(SendRequest req, String tenantId, String batchId, List<Recipient> recipients,
                                int maxChunkBytes, Instant acceptedAt) {
    int contentBytes = req.content().toJson().toBuffer().length() + 512;
    List<List<Recipient>> groups = new ArrayList<>();
    List<Recipient> current = new ArrayList<>();
    long bytes = contentBytes;
    for (Recipient r : recipients) {
      int size = r.toJson().toBuffer().length() + 1;
      if (!current.isEmpty() && (current.size() == SendChunk.MAX_RECIPIENTS || bytes + size > maxChunkBytes)) {
        groups.add(current);
        current = new ArrayList<>();
        bytes = contentBytes;
      }
      current.add(r);
      bytes += size;
    }
    groups.add(current);
    List<SendChunk> chunks = new ArrayList<>(groups.size());
    for (int i = 0; i < groups.size(); i++) {
      chunks.add(chunk(req, tenantId, batchId, i, groups.size(), List.copyOf(groups.get(i)), acceptedAt));
    }
    return chunks;
  }

  private static SendChunk chunk(SendRequest req, String tenantId, String batchId, int index, int count,
                                 List<Recipient> group, Instant acceptedAt) {
    return new SendChunk(batchId, tenantId, index, count, req.channel(), req.priority(), req.provider(),
        req.sendAt(), null, 0, req.content(), group, acceptedAt, null);
  }

  static SendChunk single(SendRequest req, String tenantId, Recipient recipient, Instant acceptedAt) {
    return new SendChunk(null, tenantId, 0, 1, req.channel(), req.priority(), req.provider(), req.sendAt(), null, 0,
        req.content(), List.of(recipient), acceptedAt, null);
  }
}
