package dev.esprouter.common.config;

/**
 * A configuration value that cannot be used. The message is the single line printed at start-up,
 * always of the form {@code NAME=value: problem} or {@code NAME: problem}; secrets are never echoed.
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
