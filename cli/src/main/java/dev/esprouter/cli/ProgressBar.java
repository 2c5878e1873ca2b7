package dev.esprouter.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr ({@code \r}-redrawn, at most ten times a second), so stdout
 * stays clean for {@code --json}: {@code uploading  [#########-----------]  45%  9.1/20.0 MiB}.
 */
final class ProgressBar {

  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final String label;
  private final long total;
  private final boolean bytes;
  private long done;
  private long drawnAt;

  ProgressBar(PrintWriter err, String label, long total, boolean bytes) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.bytes = bytes;
  }

  synchronized void advance(long n) {
    set(done + n);
  }

  synchronized void set(long value) {
    done = value;
    long now = System.nanoTime();
    if (now - drawnAt > 100_000_000L) {
      drawnAt = now;
      draw();
    }
  }

  synchronized void finish() {
    draw();
    err.println();
    err.flush();
  }

  private void draw() {
    double share = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(share * WIDTH);
    err.print("\r" + label + "  [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]  "
        + String.format(Locale.ROOT, "%3d%%", Math.round(share * 100)) + "  " + amount());
    err.flush();
  }

  private String amount() {
    if (!bytes) {
      return done + "/" + total;
    }
    boolean small = total < 1048576;
    double unit = small ? 1024.0 : 1048576.0;
    return String.format(Locale.ROOT, "%.1f/%.1f %s", done / unit, total / unit, small ? "KiB" : "MiB");
  }
}
