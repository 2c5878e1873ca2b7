package dev.esprouter.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit, keeping the exact bytes (verification needs them raw, so no
 * form decoding on the way, unlike {@code BodyHandler} with form content types). A declared or
 * streamed body over the limit fails with {@link TooLarge} without buffering the rest.
 */
final class BoundedBody {

  static final class TooLarge extends RuntimeException {
    TooLarge(long limit) {
      super("body is over the limit of " + limit + " bytes", null, false, false);
    }
  }

  private BoundedBody() {
  }

  static Future<Buffer> read(HttpServerRequest request, long limit) {
    long declared = declaredLength(request);
    if (declared > limit) {
      return Future.failedFuture(new TooLarge(limit));
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer(declared < 0 ? 4096 : (int) declared);
    request.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        request.pause();
        promise.tryFail(new TooLarge(limit));
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> promise.tryComplete(body));
    // The router pauses every request until a handler is ready for its body.
    request.resume();
    return promise.future();
  }

  private static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1; // Netty refuses a malformed Content-Length before it gets here.
    }
  }
}
