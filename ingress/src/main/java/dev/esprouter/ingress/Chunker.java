package dev.esprouter.ingress;

import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a batch's recipients into {@link SendChunk}s of at most {@link SendChunk#MAX_RECIPIENTS}
 * recipients and at most {@code maxChunkBytes} of JSON, so that recipients with large data never
 * make a record the broker refuses (its default limit is 1 MiB).
 */
final class Chunker {

  private Chunker() {
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
      chunks.add(new SendChunk(batchId, tenantId, i, groups.size(), req.channel(), req.priority(), req.provider(),
          req.sendAt(), null, 0, req.content(), List.copyOf(groups.get(i)), acceptedAt, null));
    }
    return chunks;
  }

  static SendChunk single(SendRequest req, String tenantId, Recipient recipient, Instant acceptedAt) {
    return new SendChunk(null, tenantId, 0, 1, req.channel(), req.priority(), req.provider(), req.sendAt(), null, 0,
        req.content(), List.of(recipient), acceptedAt, null);
  }
}
