package dev.esprouter.campaigns;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A CSV recipient list: a header row naming the address column ({@code to}, or {@code email},
 * {@code phone}, {@code chat_id}, in that order of preference) and any other columns, which become each
 * recipient's {@code data} (empty cells are left out, so a template's defaults apply). A row with another
 * number of fields than the header is refused on its own ({@code ragged_row}).
 */
final class CsvList implements ListLine.Source {

  static final List<String> ADDRESS_COLUMNS = List.of("to", "email", "phone", "chat_id");

  private final CsvRecords records;
  private final String[] names;
  private final int address;

  private CsvList(CsvRecords records, String[] names, int address) {
    this.records = records;
    this.names = names;
    this.address = address;
  }

  /** Reads the header; a missing, malformed or address-less header fails the upload (400). */
  static CsvList open(Reader in, int maxChars) throws IOException {
    CsvRecords records = new CsvRecords(in, maxChars);
    CsvRecords.Record header = records.next();
    if (header == null) {
      throw UploadFailure.badRequest("empty_body", "the upload is empty; send a header row and one recipient a line");
    }
    if (header.error() != null) {
      throw UploadFailure.badRequest("invalid_header", "the header row is not valid CSV: " + header.error());
    }
    String[] names = new String[header.fields().size()];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.length; i++) {
      String n = header.fields().get(i).trim();
      if (n.isEmpty()) {
        throw UploadFailure.badRequest("invalid_header", "column " + (i + 1) + " of the header row has no name");
      }
      if (!seen.add(n.toLowerCase(Locale.ROOT))) {
        throw UploadFailure.badRequest("invalid_header", "the header row names '" + shorten(n) + "' twice");
      }
      names[i] = n;
    }
    for (String wanted : ADDRESS_COLUMNS) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(wanted)) {
          return new CsvList(records, names, i);
        }
      }
    }
    throw UploadFailure.badRequest("no_address_column", "the header row has no address column: name one to, email, "
        + "phone or chat_id");
  }

  @Override
  public ListLine next() throws IOException {
    CsvRecords.Record r = records.next();
    if (r == null) {
      return null;
    }
    if (r.error() != null) {
      return ListLine.bad(r.line(), "invalid_csv", r.error());
    }
    if (r.fields().size() != names.length) {
      return ListLine.bad(r.line(), "ragged_row", "has " + r.fields().size() + " fields where the header has "
          + names.length);
    }
    JsonObject data = null;
    for (int i = 0; i < names.length; i++) {
      String v = r.fields().get(i);
      if (i != address && !v.isEmpty()) {
        if (data == null) {
          data = new JsonObject();
        }
        data.put(names[i], v);
      }
    }
    return new ListLine(r.line(), r.fields().get(address).trim(), data, null, null, null);
  }

  /** The line a read that failed was on. */
  @Override
  public long line() {
    return records.line();
  }

  static String shorten(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
