package dev.esprouter.cli;

/** The API answered with an error (its {@code {"error": {code, message}}}), or could not be reached (status 0). */
final class ApiException extends Exception {

  private final int status;
  private final String code;

  ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  int exitCode() {
    return status == 0 ? ExitCodes.UNAVAILABLE : ExitCodes.ofStatus(status);
  }

  /** One line for stderr: {@code esp-router: 404 not_found: no such message}. */
  String line() {
    return status == 0 ? getMessage() : status + " " + code + ": " + getMessage();
  }
}
