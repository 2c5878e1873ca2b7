package dev.esprouter.campaigns;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.util.Set;

/**
 * An NDJSON recipient list: one {@code {"to": ..., "data": {...}, "metadata": {...}}} a line, blank lines
 * skipped. A line that is not such an object is refused on its own.
 */
final class NdjsonList implements ListLine.Source {

  private static final Set<String> FIELDS = Set.of("to", "data", "metadata");

  private final Reader in;
  private final int maxChars;
  private final char[] buf = new char[16 * 1024];
  private int pos;
  private int len;
  private long line;
  private boolean eof;

  NdjsonList(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  @Override
  public ListLine next() throws IOException {
    while (true) {
      String text = readLine();
      if (text == null) {
        return null;
      }
      if (!text.isBlank()) {
        return parse(text);
      }
    }
  }

  private ListLine parse(String text) {
    JsonObject o;
    try {
      o = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return ListLine.bad(line, "invalid_json", "is not a JSON object");
    }
    for (String f : o.fieldNames()) {
      if (!FIELDS.contains(f)) {
        return ListLine.bad(line, "invalid_recipient", "'" + CsvList.shorten(f) + "' is not a known field (use to, "
            + "data, metadata)");
      }
    }
    Object to = o.getValue("to");
    Object data = o.getValue("data");
    Object metadata = o.getValue("metadata");
    if (to != null && !(to instanceof String)) {
      return ListLine.bad(line, "invalid_recipient", "to: must be a string");
    }
    if (data != null && !(data instanceof JsonObject)) {
      return ListLine.bad(line, "invalid_recipient", "data: must be an object");
    }
    if (metadata != null && !(metadata instanceof JsonObject)) {
      return ListLine.bad(line, "invalid_recipient", "metadata: must be an object");
    }
    return new ListLine(line, to == null ? null : ((String) to).trim(), (JsonObject) data, (JsonObject) metadata,
        null, null);
  }

  /** The next line without its line break, or null at the end; longer than {@code maxChars}: the upload fails. */
  private String readLine() throws IOException {
    if (eof) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    line++;
    while (true) {
      if (pos == len) {
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
          len = 0;
          eof = true;
          return b.isEmpty() ? null : b.toString();
        }
      }
      int start = pos;
      while (pos < len && buf[pos] != '\n') {
        pos++;
      }
      b.append(buf, start, pos - start);
      if (b.length() > maxChars) {
        throw UploadFailure.badRequest("line_too_long", "line " + line + " is longer than ESP_CAMPAIGN_MAX_LINE_BYTES ("
            + maxChars + "); nothing was stored");
      }
      if (pos < len) {
        pos++;
        int end = b.length();
        if (end > 0 && b.charAt(end - 1) == '\r') {
          b.setLength(end - 1);
        }
        return b.toString();
      }
    }
  }

  @Override
  public long line() {
    return line;
  }
}
