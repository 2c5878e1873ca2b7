package dev.esprouter.providers.webhook;

/**
 * A verifier's answer. {@code reason} says why a request was refused (for logs, never sent back in
 * detail); {@code responseBody} is what an accepted request is answered with, for providers that
 * expect something back (SocketLabs' validation key), else null.
 */
public record Verdict(boolean accepted, String reason, String responseBody) {

  private static final Verdict ACCEPTED = new Verdict(true, null, null);

  public static Verdict accept() {
    return ACCEPTED;
  }

  public static Verdict acceptWithBody(String responseBody) {
    return new Verdict(true, null, responseBody);
  }

  public static Verdict reject(String reason) {
    return new Verdict(false, reason, null);
  }
}
