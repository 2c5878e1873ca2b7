package dev.esprouter.router;

import dev.esprouter.common.SendChunk;
import dev.esprouter.common.Topics;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

/** A send record as ingress writes it (CONTRACTS.md § Kafka): key, SendChunk JSON, tenant and priority headers. */
public final class SendRecords {

  private SendRecords() {
  }

  public static KafkaProducerRecord<String, Buffer> of(String topic, SendChunk chunk) {
    KafkaProducerRecord<String, Buffer> rec = KafkaProducerRecord.create(topic, chunk.key(), chunk.toBuffer());
    rec.addHeader(Topics.HEADER_TENANT, chunk.tenantId());
    rec.addHeader(Topics.HEADER_PRIORITY, chunk.priority().wire());
    return rec;
  }
}
