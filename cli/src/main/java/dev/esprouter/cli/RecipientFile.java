package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Recipients read one at a time from a file, so a file of any size takes constant memory:
 * CSV with a header row (column {@code to}; every other column becomes {@code data}) or NDJSON
 * (one {@code {"to", "data", "metadata"}} object a line; other fields become {@code data}).
 */
final class RecipientFile implements Closeable {

  enum Format {
    CSV("text/csv"), NDJSON("application/x-ndjson");

    final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    /** From {@code --format}, else the file's extension (.csv; .ndjson, .jsonl). */
    static Format of(String given, Path file) throws ApiCommand.UsageException {
      String name = given != null ? given : file.getFileName().toString();
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("csv") || lower.endsWith(".csv")) {
        return CSV;
      }
      if (lower.equals("ndjson") || lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) {
        return NDJSON;
      }
      throw new ApiCommand.UsageException(file + ": cannot tell CSV from NDJSON by the name; pass --format csv|ndjson");
    }
  }

  private final Format format;
  private final BufferedReader reader;
  private List<String> header;
  private long line;

  private RecipientFile(Format format, InputStream in) {
    this.format = format;
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  /** Opens {@code file}; {@code bytesRead} hears of every byte consumed (the progress bar). */
  static RecipientFile open(Path file, Format format, LongConsumer bytesRead) throws ApiCommand.UsageException {
    try {
      return new RecipientFile(format, new Counting(Files.newInputStream(file), bytesRead));
    } catch (IOException e) {
      throw new ApiCommand.UsageException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** The next recipient, or null at the end of the file. */
  ObjectNode next() throws ApiCommand.UsageException {
    try {
      return format == Format.CSV ? nextCsv() : nextNdjson();
    } catch (IOException e) {
      throw new ApiCommand.UsageException("line " + line + ": cannot read: " + e.getMessage());
    }
  }

  private ObjectNode nextNdjson() throws IOException, ApiCommand.UsageException {
    String text;
    do {
      text = reader.readLine();
      line++;
      if (text == null) {
        return null;
      }
    } while (text.isBlank());
    JsonNode node;
    try {
      node = ApiClient.JSON.readTree(text);
    } catch (IOException e) {
      throw new ApiCommand.UsageException("line " + line + ": not JSON");
    }
    if (node == null || !node.isObject() || !node.hasNonNull("to")) {
      throw new ApiCommand.UsageException("line " + line + ": must be a JSON object with \"to\"");
    }
    ObjectNode in = (ObjectNode) node;
    if (in.has("data")) {
      return in;
    }
    ObjectNode r = ApiClient.JSON.createObjectNode();
    ObjectNode data = ApiClient.JSON.createObjectNode();
    in.fields().forEachRemaining(f -> {
      if (f.getKey().equals("to") || f.getKey().equals("metadata")) {
        r.set(f.getKey(), f.getValue());
      } else {
        data.set(f.getKey(), f.getValue());
      }
    });
    if (!data.isEmpty()) {
      r.set("data", data);
    }
    return r;
  }

  private ObjectNode nextCsv() throws IOException, ApiCommand.UsageException {
    if (header == null) {
      header = csvRecord();
      if (header == null || !header.contains("to")) {
        throw new ApiCommand.UsageException("line 1: the CSV header must have a column named 'to'");
      }
    }
    List<String> fields;
    do {
      fields = csvRecord();
      if (fields == null) {
        return null;
      }
    } while (fields.size() == 1 && fields.get(0).isEmpty());
    if (fields.size() != header.size()) {
      throw new ApiCommand.UsageException("line " + line + ": " + fields.size() + " fields, the header has "
          + header.size());
    }
    ObjectNode r = ApiClient.JSON.createObjectNode();
    ObjectNode data = ApiClient.JSON.createObjectNode();
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).equals("to")) {
        r.put("to", fields.get(i));
      } else {
        data.put(header.get(i), fields.get(i));
      }
    }
    if (!data.isEmpty()) {
      r.set("data", data);
    }
    return r;
  }

  /** One RFC 4180 record: quoted fields may hold commas, doubled quotes and line breaks. */
  private List<String> csvRecord() throws IOException, ApiCommand.UsageException {
    int c = reader.read();
    if (c < 0) {
      return null;
    }
    line++;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    while (true) {
      if (quoted) {
        if (c < 0) {
          throw new ApiCommand.UsageException("line " + line + ": a quoted field is not closed");
        }
        if (c == '"') {
          reader.mark(1);
          int n = reader.read();
          if (n == '"') {
            field.append('"');
          } else {
            quoted = false;
            reader.reset();
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
      } else if (c < 0 || c == '\n') {
        fields.add(stripCr(field));
        return fields;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '"' && field.isEmpty()) {
        quoted = true;
      } else {
        field.append((char) c);
      }
      c = reader.read();
    }
  }

  private static String stripCr(StringBuilder field) {
    int n = field.length();
    return n > 0 && field.charAt(n - 1) == '\r' ? field.substring(0, n - 1) : field.toString();
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /** Counts the bytes read from the file. */
  static final class Counting extends FilterInputStream {

    private final LongConsumer counted;

    Counting(InputStream in, LongConsumer counted) {
      super(in);
      this.counted = counted;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        counted.accept(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        counted.accept(n);
      }
      return n;
    }
  }
}
