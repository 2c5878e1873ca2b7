package dev.esprouter.campaigns;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records from a character stream, one at a time: fields separated by commas, quoted fields
 * with {@code ""} for a quote and line breaks inside, records ended by {@code \r\n}, {@code \n} or
 * {@code \r}. A record that breaks the quoting rules comes back with an error (and the reader moves to
 * the next line); blank lines are skipped. A record longer than {@code maxChars} fails the whole read:
 * past it there is no telling where the next record starts.
 */
final class CsvRecords {

  /** One record: its fields, the line it starts on, and what is wrong with it (null when nothing). */
  record Record(List<String> fields, long line, String error) {
  }

  private static final int EOF = -1;

  private final Reader in;
  private final int maxChars;
  private final char[] buf = new char[16 * 1024];
  private int pos;
  private int len;
  private long line = 1;
  private int recordChars;

  CsvRecords(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The line the reader is on (for errors that end the read). */
  long line() {
    return line;
  }

  /** The next record, or null at the end of the input. */
  Record next() throws IOException {
    int c;
    while ((c = peek()) == '\n' || c == '\r') {
      recordChars = 0; // blank lines are not part of any record
      newline(take());
    }
    if (c == EOF) {
      return null;
    }
    long start = line;
    recordChars = 0;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    while (true) {
      c = take();
      if (c == '"' && field.isEmpty()) {
        String problem = quoted(field);
        if (problem != null) {
          skipLine();
          return new Record(fields, start, problem);
        }
        c = take();
        if (c != ',' && c != '\n' && c != '\r' && c != EOF) {
          skipLine();
          return new Record(fields, start, "text after a closing quote (a quote inside a field is written \"\")");
        }
      } else {
        while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
          field.append((char) c);
          c = take();
        }
      }
      fields.add(field.toString());
      field.setLength(0);
      if (c != ',') {
        if (c != EOF) {
          newline(c);
        }
        return new Record(fields, start, null);
      }
    }
  }

  /** Reads a quoted field after its opening quote, up to its closing quote; the problem, or null. */
  private String quoted(StringBuilder field) throws IOException {
    while (true) {
      int c = take();
      if (c == EOF) {
        return "a quoted field is not closed before the end of the input";
      }
      if (c == '"') {
        if (peek() == '"') {
          take();
          field.append('"');
          continue;
        }
        return null;
      }
      if (c == '\n' || (c == '\r' && peek() != '\n')) {
        line++;
      }
      field.append((char) c);
    }
  }

  private void skipLine() throws IOException {
    int c;
    do {
      c = take();
    } while (c != '\n' && c != '\r' && c != EOF);
    if (c != EOF) {
      newline(c);
    }
  }

  private void newline(int c) throws IOException {
    if (c == '\r' && peek() == '\n') {
      take();
    }
    line++;
  }

  private int peek() throws IOException {
    if (pos == len && !fill()) {
      return EOF;
    }
    return buf[pos];
  }

  private int take() throws IOException {
    if (pos == len && !fill()) {
      return EOF;
    }
    if (++recordChars > maxChars) {
      throw UploadFailure.badRequest("line_too_long", "line " + line + " is longer than ESP_CAMPAIGN_MAX_LINE_BYTES ("
          + maxChars + "); nothing was stored");
    }
    return buf[pos++];
  }

  private boolean fill() throws IOException {
    len = in.read(buf, 0, buf.length);
    pos = 0;
    if (len <= 0) {
      len = 0;
      return false;
    }
    return true;
  }
}
