package dev.esprouter.ingress;

import dev.esprouter.common.http.ApiError;

/** A request that cannot be accepted as sent; carries the error to answer with (no stack trace: it is expected). */
final class Invalid extends RuntimeException {

  private final transient ApiError error;

  Invalid(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  static Invalid field(String code, String field, String problem) {
    return new Invalid(ApiError.badRequest(code, field + ": " + problem, field));
  }

  ApiError error() {
    return error;
  }
}
