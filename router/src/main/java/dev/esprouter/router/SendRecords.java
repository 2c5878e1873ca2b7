package dev.esprouter.router;

import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

/** A send record as ingress writes it (CONTRACTS.md § Kafka): key, SendChunk JSON, tenant and priority headers. */
public final class SendRecords {

  /** On {@code send.dlq}: why the record is there (a poisoned chunk, an unreadable record). */
  public static final String HEADER_DLQ_REASON = "esp-dlq-reason";
  /** On {@code send.dlq}: topic-partition@offset of an unreadable record. */
  public static final String HEADER_DLQ_SOURCE = "esp-dlq-source";

  private SendRecords() {
  }

  /** A record of {@code send.outcomes}, keyed by the chunk's ledger key (a batch's facts stay in order). */
  public static KafkaProducerRecord<String, Buffer> facts(String topic, dev.esprouter.common.facts.SendFacts facts) {
    KafkaProducerRecord<String, Buffer> rec = KafkaProducerRecord.create(topic, facts.chunkKey(), facts.toBuffer());
    if (facts.tenantId() != null) {
      rec.addHeader(Topics.HEADER_TENANT, facts.tenantId());
    }
    return rec;
  }

  public static KafkaProducerRecord<String, Buffer> of(String topic, SendChunk chunk) {
    KafkaProducerRecord<String, Buffer> rec = KafkaProducerRecord.create(topic, chunk.key(), chunk.toBuffer());
    rec.addHeader(Topics.HEADER_TENANT, chunk.tenantId());
    rec.addHeader(Topics.HEADER_PRIORITY, chunk.priority().wire());
    return rec;
  }
}
