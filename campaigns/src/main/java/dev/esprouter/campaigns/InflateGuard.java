package dev.esprouter.campaigns;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Counts the bytes a gzip body inflates to and stops a decompression bomb early: past
 * {@code maxBytes} in all, or past {@code maxRatio} inflated bytes per compressed byte once the first
 * MiB is out (real CSV and NDJSON compress 5–20 to 1; a bomb thousands to 1). Both are a 413.
 */
final class InflateGuard extends FilterInputStream {

  private static final long RATIO_AFTER = 1024 * 1024;

  private final long maxBytes;
  private final int maxRatio;
  private final LongSupplier compressed;
  private long inflated;

  InflateGuard(InputStream inflating, long maxBytes, int maxRatio, LongSupplier compressed) {
    super(inflating);
    this.maxBytes = maxBytes;
    this.maxRatio = maxRatio;
    this.compressed = compressed;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(int n) {
    inflated += n;
    if (inflated > maxBytes) {
      throw UploadFailure.tooLarge("upload_too_large", "the upload inflates to more than "
          + "ESP_CAMPAIGN_UPLOAD_MAX_INFLATED_BYTES (" + maxBytes + " bytes); nothing was stored");
    }
    if (inflated > RATIO_AFTER && inflated > (long) maxRatio * Math.max(1, compressed.getAsLong())) {
      throw UploadFailure.tooLarge("decompression_bomb", "the gzip body inflates more than " + maxRatio
          + " to 1 (ESP_CAMPAIGN_UPLOAD_MAX_RATIO); refused as a decompression bomb, nothing was stored");
    }
  }
}
