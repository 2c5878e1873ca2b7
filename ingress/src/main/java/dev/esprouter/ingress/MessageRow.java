package dev.esprouter.ingress;

import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code messages} row as ingress writes it: status {@code queued}, before the router touches it;
 * {@code language} is the language the content is in after template fallback (its locale).
 */
record MessageRow(String id, String tenantId, String batchId, int chunkIndex, String channel, String recipient,
                  String metadataJson, String priority, OffsetDateTime sendAt, String language) {

  static List<MessageRow> of(SendChunk chunk) {
    List<MessageRow> rows = new ArrayList<>(chunk.recipients().size());
    OffsetDateTime sendAt = chunk.sendAt() == null ? null : chunk.sendAt().atOffset(ZoneOffset.UTC);
    for (Recipient r : chunk.recipients()) {
      rows.add(new MessageRow(r.messageId(), chunk.tenantId(), chunk.batchId(), chunk.chunkIndex(),
          chunk.channel().wire(), r.to(), r.metadata() == null ? null : r.metadata().encode(), chunk.priority().wire(),
          sendAt, chunk.content().locale()));
    }
    return rows;
  }
}
