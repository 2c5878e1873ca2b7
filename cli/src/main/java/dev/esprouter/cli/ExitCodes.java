package dev.esprouter.cli;

/**
 * What a script can rely on after {@code java -jar esp-router.jar COMMAND}. Documented in
 * README.md § Command line; tests assert each one.
 */
public final class ExitCodes {

  /** Done as asked. */
  public static final int OK = 0;
  /** The API refused the request (400, 409, 415, 422, ...): nothing was changed. */
  public static final int REFUSED = 1;
  /** Bad command line or an unreadable input file: nothing was sent. */
  public static final int USAGE = 2;
  /** The id or address does not exist for this tenant (404). */
  public static final int NOT_FOUND = 3;
  /** No, a wrong or a revoked API key or admin token (401, 403). */
  public static final int UNAUTHORIZED = 4;
  /** The router is unreachable, over its rate (429) or unavailable (5xx): retry later. */
  public static final int UNAVAILABLE = 5;
  /** Partly done: some batch recipients rejected, some requeues failed, a campaign cancelled. */
  public static final int PARTIAL = 6;

  private ExitCodes() {
  }

  /** The exit code of an HTTP error status. */
  public static int ofStatus(int status) {
    if (status == 401 || status == 403) {
      return UNAUTHORIZED;
    }
    if (status == 404) {
      return NOT_FOUND;
    }
    if (status == 429 || status >= 500) {
      return UNAVAILABLE;
    }
    return REFUSED;
  }
}
