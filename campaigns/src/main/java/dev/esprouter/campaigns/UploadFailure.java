package dev.esprouter.campaigns;

import dev.esprouter.common.http.ApiError;

/** An upload refused as a whole (bad header, too large, not UTF-8, ...): nothing of it is stored. */
final class UploadFailure extends RuntimeException {

  private final transient ApiError error;

  UploadFailure(int status, String code, String message) {
    super(message, null, false, false);
    this.error = new ApiError(status, code, message);
  }

  static UploadFailure badRequest(String code, String message) {
    return new UploadFailure(400, code, message);
  }

  static UploadFailure tooLarge(String code, String message) {
    return new UploadFailure(413, code, message);
  }

  ApiError error() {
    return error;
  }
}
