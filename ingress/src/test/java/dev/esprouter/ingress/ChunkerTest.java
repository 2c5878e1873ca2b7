package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.SendChunk;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Batches are cut into chunks by count and by size")
class ChunkerTest {

  @Test
  @DisplayName("10,000 recipients make 20 chunks of 500, numbered, keyed by the batch id, in request order")
  void byCount() {
    BatchRequest b = SendRequestParser.batch(Bodies.batch(10_000).toBuffer());
    List<SendChunk> chunks = Chunker.chunks(b.request(), "ten_1", "bat_1", b.recipients(), 900_000, Instant.now());
    assertThat(chunks).hasSize(20);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.recipients()).hasSize(500);
      assertThat(c.chunkCount()).isEqualTo(20);
      assertThat(c.key()).isEqualTo("bat_1");
    });
    assertThat(chunks.get(19).chunkIndex()).isEqualTo(19);
    assertThat(chunks.get(1).recipients().get(0).to()).isEqualTo("user500@example.com");
  }

  @Test
  @DisplayName("Large recipients close a chunk early so its JSON stays under the byte limit")
  void bySize() {
    io.vertx.core.json.JsonObject body = Bodies.batch(100);
    body.getJsonArray("recipients").forEach(r -> ((io.vertx.core.json.JsonObject) r)
        .put("data", new io.vertx.core.json.JsonObject().put("note", "n".repeat(1000))));
    BatchRequest b = SendRequestParser.batch(body.toBuffer());
    List<SendChunk> chunks = Chunker.chunks(b.request(), "ten_1", "bat_1", b.recipients(), 20_000, Instant.now());
    assertThat(chunks.size()).isGreaterThan(1);
    assertThat(chunks).allSatisfy(c -> assertThat(c.toBuffer().length()).isLessThanOrEqualTo(20_000));
    assertThat(chunks.stream().mapToInt(c -> c.recipients().size()).sum()).isEqualTo(100);
  }

  @Test
  @DisplayName("Each chunk's record value is its JSON, encoded once; an oversized group falls back to cutting by size")
  void encodedOnce() {
    BatchRequest b = SendRequestParser.batch(Bodies.batch(1_200).toBuffer());
    List<Chunker.Encoded> byCount = Chunker.encoded(b.request(), "ten_1", "bat_1", b.recipients(), 900_000,
        Instant.now());
    assertThat(byCount).hasSize(3);
    assertThat(byCount).allSatisfy(e -> assertThat(e.value()).isEqualTo(e.chunk().toBuffer()));
    assertThat(byCount.get(2).chunk().recipients()).hasSize(200);

    List<Chunker.Encoded> bySize = Chunker.encoded(b.request(), "ten_1", "bat_1", b.recipients(), 20_000,
        Instant.now());
    assertThat(bySize.size()).isGreaterThan(3);
    assertThat(bySize).allSatisfy(e -> {
      assertThat(e.value()).isEqualTo(e.chunk().toBuffer());
      assertThat(e.value().length()).isLessThanOrEqualTo(20_000);
      assertThat(e.chunk().chunkCount()).isEqualTo(bySize.size());
    });
    assertThat(bySize.stream().mapToInt(e -> e.chunk().recipients().size()).sum()).isEqualTo(1_200);
  }
}
