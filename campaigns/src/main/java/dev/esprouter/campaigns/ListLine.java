package dev.esprouter.campaigns;

import io.vertx.core.json.JsonObject;

/**
 * One recipient line of an uploaded list as read: its line number, address, personalisation data and
 * metadata, or the reason it cannot be read ({@code code}, {@code error}).
 */
record ListLine(long line, String to, JsonObject data, JsonObject metadata, String code, String error) {

  static ListLine bad(long line, String code, String error) {
    return new ListLine(line, null, null, null, code, error);
  }

  boolean ok() {
    return code == null;
  }

  /** The lines of one list, whatever its format. */
  interface Source {
    /** The next line, or null at the end. */
    ListLine next() throws java.io.IOException;

    /** The line the reader is on (for an error that ends the read). */
    long line();
  }
}
