package dev.esprouter.providers.send;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads a provider's retry signal: {@code Retry-After} in seconds or as an HTTP date, or an epoch reset time. */
public final class RetryAfter {

  private RetryAfter() {
  }

  /** {@code Retry-After: 5} or {@code Retry-After: Wed, 21 Oct 2026 07:28:00 GMT}; null when absent or unreadable. */
  public static Duration header(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        return nonNegative(Duration.between(clock.instant(), at.toInstant()));
      } catch (DateTimeParseException ignored) {
        return null;
      }
    }
  }

  /** A reset time in Unix seconds (SendGrid {@code X-RateLimit-Reset}); null when absent or unreadable. */
  public static Duration epochReset(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long reset = Long.parseLong(value.trim());
      return nonNegative(Duration.ofMillis(reset * 1000 - clock.millis()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public static Duration seconds(Long s) {
    return s == null ? null : Duration.ofSeconds(Math.max(0, s));
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
