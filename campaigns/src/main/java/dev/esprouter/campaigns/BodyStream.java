package dev.esprouter.campaigns;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body as an {@link InputStream} for the upload's worker thread, read from the socket as the
 * worker consumes it: the request is paused while more than {@link #HIGH_BYTES} wait and resumed (on
 * its event loop) once fewer than {@link #LOW_BYTES} do, so an upload of any size holds about a
 * megabyte. More than {@code maxBytes} received (0: no limit) fails the read with a 413.
 */
final class BodyStream extends InputStream {

  static final long HIGH_BYTES = 1024 * 1024;
  static final long LOW_BYTES = 256 * 1024;
  private static final Object END = new Object();

  private final HttpServerRequest request;
  private final Context context;
  private final long maxBytes;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicLong waiting = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean(true);
  private final AtomicLong received = new AtomicLong();
  private volatile boolean discarding;
  private Buffer current;
  private int pos;
  private boolean ended;

  /** Takes over {@code request} (paused by the route before authentication) and resumes it. Call on its event loop. */
  BodyStream(HttpServerRequest request, Context context, long maxBytes) {
    this.request = request;
    this.context = context;
    this.maxBytes = maxBytes;
    request.handler(this::arrived);
    request.endHandler(v -> queue.add(END));
    request.exceptionHandler(queue::add);
    paused.set(false);
    request.resume();
  }

  private void arrived(Buffer b) {
    if (discarding) {
      return;
    }
    long total = received.addAndGet(b.length());
    if (maxBytes > 0 && total > maxBytes) {
      discarding = true;
      queue.add(UploadFailure.tooLarge("upload_too_large", "the upload is larger than ESP_CAMPAIGN_UPLOAD_MAX_BYTES ("
          + maxBytes + " bytes); nothing was stored"));
      return;
    }
    queue.add(b);
    if (waiting.addAndGet(b.length()) > HIGH_BYTES && paused.compareAndSet(false, true)) {
      request.pause();
    }
  }

  /** Bytes received from the socket so far. */
  long received() {
    return received.get();
  }

  /** Drops whatever still arrives (the upload was refused); the response closes the connection. */
  void discard() {
    discarding = true;
    context.runOnContext(v -> {
      if (!request.isEnded()) {
        request.resume();
      }
    });
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (current == null || pos == current.length()) {
      if (ended) {
        return -1;
      }
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("upload interrupted", e);
      }
      if (next == END) {
        ended = true;
        return -1;
      }
      if (next instanceof UploadFailure f) {
        throw f;
      }
      if (next instanceof Throwable t) {
        throw new IOException("the upload's connection failed: " + t, t);
      }
      current = (Buffer) next;
      pos = 0;
      if (waiting.addAndGet(-current.length()) < LOW_BYTES && paused.compareAndSet(true, false)) {
        context.runOnContext(v -> request.resume());
      }
    }
    int n = Math.min(len, current.length() - pos);
    current.getBytes(pos, pos + n, into, off);
    pos += n;
    return n;
  }
}
