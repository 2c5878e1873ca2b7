package dev.esprouter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Recipient files are read one recipient at a time, CSV as RFC 4180 and NDJSON, with clear errors")
class RecipientFileTest {

  @TempDir
  Path dir;

  private List<ObjectNode> read(String name, String content, AtomicLong bytes) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    List<ObjectNode> all = new ArrayList<>();
    try (RecipientFile in = RecipientFile.open(f, RecipientFile.Format.of(null, f), bytes::addAndGet)) {
      for (ObjectNode r = in.next(); r != null; r = in.next()) {
        all.add(r);
      }
    }
    return all;
  }

  @Test
  @DisplayName("CSV: quoted commas, doubled quotes, line breaks in quotes, CRLF, blank lines; other columns become data")
  void csv() throws Exception {
    AtomicLong bytes = new AtomicLong();
    String content = "name,to\r\n\"Ada, Countess\",ada@example.com\r\n\r\n\"Say \"\"hi\"\"\nthere\",bob@example.com\r\n";
    List<ObjectNode> r = read("people.csv", content, bytes);
    assertThat(r).hasSize(2);
    assertThat(r.get(0).path("to").asText()).isEqualTo("ada@example.com");
    assertThat(r.get(0).path("data").path("name").asText()).isEqualTo("Ada, Countess");
    assertThat(r.get(1).path("data").path("name").asText()).isEqualTo("Say \"hi\"\nthere");
    assertThat(bytes.get()).isEqualTo(content.length());
  }

  @Test
  @DisplayName("NDJSON: flat fields become data, an explicit data object is kept, metadata stays apart")
  void ndjson() throws Exception {
    List<ObjectNode> r = read("p.ndjson", "{\"to\":\"+5511999990001\",\"1\":\"Ana\",\"metadata\":{\"k\":\"v\"}}\n"
        + "{\"to\":\"x@example.com\",\"data\":{\"name\":\"X\"}}\n", new AtomicLong());
    assertThat(r.get(0).path("data").path("1").asText()).isEqualTo("Ana");
    assertThat(r.get(0).path("metadata").path("k").asText()).isEqualTo("v");
    assertThat(r.get(0).path("data").has("metadata")).isFalse();
    assertThat(r.get(1).path("data").path("name").asText()).isEqualTo("X");
  }

  @Test
  @DisplayName("errors name the line: no 'to' column, a short row, an unclosed quote, a line that is not JSON")
  void errors() {
    assertThatThrownBy(() -> read("a.csv", "email,name\nx@example.com,X\n", new AtomicLong()))
        .hasMessageContaining("line 1").hasMessageContaining("'to'");
    assertThatThrownBy(() -> read("b.csv", "to,name\nx@example.com\n", new AtomicLong()))
        .hasMessageContaining("line 2").hasMessageContaining("1 fields");
    assertThatThrownBy(() -> read("c.csv", "to,name\nx@example.com,\"open\n", new AtomicLong()))
        .hasMessageContaining("not closed");
    assertThatThrownBy(() -> read("d.ndjson", "{\"to\":\"a@example.com\"}\nnope\n", new AtomicLong()))
        .hasMessageContaining("line 2").hasMessageContaining("not JSON");
    assertThatThrownBy(() -> RecipientFile.Format.of(null, dir.resolve("people.txt")))
        .hasMessageContaining("--format");
  }
}
