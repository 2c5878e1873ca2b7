package dev.esprouter.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CSV records are read as RFC 4180 says, one at a time")
class CsvRecordsTest {

  private static List<CsvRecords.Record> all(String csv, int max) throws IOException {
    CsvRecords r = new CsvRecords(new StringReader(csv), max);
    List<CsvRecords.Record> out = new ArrayList<>();
    CsvRecords.Record rec;
    while ((rec = r.next()) != null) {
      out.add(rec);
    }
    return out;
  }

  @Test
  @DisplayName("quotes, doubled quotes, separators and line breaks inside quotes, CR, LF and CRLF endings, line numbers")
  void quoting() throws IOException {
    List<CsvRecords.Record> rs = all("a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",x\rlast,\n", 1000);
    assertThat(rs).hasSize(3);
    assertThat(rs.get(0).fields()).containsExactly("a", "b,c", "d\"e");
    assertThat(rs.get(1).fields()).containsExactly("multi\nline", "x");
    assertThat(rs.get(1).line()).isEqualTo(2);
    assertThat(rs.get(2).fields()).containsExactly("last", "");
    assertThat(rs.get(2).line()).isEqualTo(4);
  }

  @Test
  @DisplayName("text after a closing quote and an unclosed quote are errors of their record; the next record is read")
  void malformed() throws IOException {
    List<CsvRecords.Record> rs = all("\"a\"b,c\nok,1\n\"open", 1000);
    assertThat(rs.get(0).error()).contains("after a closing quote");
    assertThat(rs.get(1).fields()).containsExactly("ok", "1");
    assertThat(rs.get(1).error()).isNull();
    assertThat(rs.get(2).error()).contains("not closed");
  }

  @Test
  @DisplayName("a record longer than the limit ends the read; blank lines do not count towards it")
  void tooLong() {
    assertThatThrownBy(() -> all("to\n" + "x".repeat(101) + "\n", 100)).isInstanceOf(UploadFailure.class)
        .hasMessageContaining("line 2");
    org.assertj.core.api.Assertions.assertThatCode(() -> all("\n".repeat(500) + "a\n", 100))
        .doesNotThrowAnyException();
  }
}
