package dev.esprouter.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One flat map of settings, named like the environment variables that set them: the optional file
 * named by {@code ESP_CONFIG} (JSON or YAML, keys are the variable names) overlaid by the
 * environment, which wins. Typed getters validate and fail with a one-line {@link ConfigException}.
 * Modules build their own small settings records from this reader at start-up, so every value is
 * checked before anything starts.
 */
public final class ConfigReader {

  private final Map<String, String> values;

  private ConfigReader(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Reads {@code ESP_CONFIG} (if set in {@code env}) and overlays {@code env}. */
  public static ConfigReader load(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>();
    String file = env.get("ESP_CONFIG");
    if (file != null && !file.isBlank()) {
      merged.putAll(readFile(Path.of(file)));
    }
    env.forEach((k, v) -> {
      if (v != null) {
        merged.put(k, v);
      }
    });
    return new ConfigReader(merged);
  }

  /** A reader over exactly these values (tests). */
  public static ConfigReader of(Map<String, String> values) {
    return new ConfigReader(values);
  }

  /** A copy with some values replaced (tests and embedded runs). */
  public ConfigReader with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return new ConfigReader(merged);
  }

  /** Every name set, by the environment or the file (to warn about unknown ESP_* names). */
  public java.util.Set<String> names() {
    return values.keySet();
  }

  public Optional<String> string(String name) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(v.trim());
  }

  public String string(String name, String fallback) {
    return string(name).orElse(fallback);
  }

  public boolean isSet(String name) {
    return string(name).isPresent();
  }

  public int integer(String name, int fallback, int min, int max) {
    Optional<String> v = string(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < min || n > max) {
        throw new ConfigException(name + "=" + v.get() + ": must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "=" + v.get() + ": not a whole number");
    }
  }

  public long longValue(String name, long fallback, long min, long max) {
    Optional<String> v = string(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.get());
      if (n < min || n > max) {
        throw new ConfigException(name + "=" + v.get() + ": must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "=" + v.get() + ": not a whole number");
    }
  }

  public double decimal(String name, double fallback, double min, double max) {
    Optional<String> v = string(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      double n = Double.parseDouble(v.get());
      if (!(n >= min && n <= max)) {
        throw new ConfigException(name + "=" + v.get() + ": must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "=" + v.get() + ": not a number");
    }
  }

  public int port(String name, int fallback) {
    Optional<String> v = string(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < 1 || n > 65535) {
        throw new ConfigException(name + "=" + v.get() + ": not a port number (1-65535)");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "=" + v.get() + ": not a port number");
    }
  }

  public boolean bool(String name, boolean fallback) {
    Optional<String> v = string(name);
    if (v.isEmpty()) {
      return fallback;
    }
    switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on":
        return true;
      case "false", "0", "no", "off":
        return false;
      default:
        throw new ConfigException(name + "=" + v.get() + ": not true or false");
    }
  }

  /** An absolute http(s) URL without a trailing slash. */
  public String url(String name, String fallback) {
    String v = string(name, fallback);
    try {
      URI uri = new URI(v);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new ConfigException(name + "=" + v + ": not an http(s) URL");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(name + "=" + v + ": not a URL");
    }
    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
  }

  /** A secret: returned as is, but never part of an error message. */
  public Optional<String> secret(String name) {
    return string(name);
  }

  private static Map<String, String> readFile(Path path) {
    if (!Files.isReadable(path)) {
      throw new ConfigException("ESP_CONFIG=" + path + ": file not found or not readable");
    }
    String lower = path.toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = lower.endsWith(".yaml") || lower.endsWith(".yml")
        ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
    JsonNode root;
    try {
      root = mapper.readTree(path.toFile());
    } catch (IOException e) {
      throw new ConfigException("ESP_CONFIG=" + path + ": not valid " + (lower.endsWith("json") ? "JSON" : "JSON or YAML")
          + " (" + firstLine(e.getMessage()) + ")");
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("ESP_CONFIG=" + path + ": must hold an object of VARIABLE: value pairs");
    }
    Map<String, String> out = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isContainerNode()) {
        throw new ConfigException("ESP_CONFIG=" + path + ": " + e.getKey() + " must be a plain value");
      }
      out.put(e.getKey(), v.isNull() ? null : v.asText());
    }
    return out;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
