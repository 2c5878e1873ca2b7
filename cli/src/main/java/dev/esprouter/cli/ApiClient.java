package dev.esprouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * The HTTP API as the commands use it: JSON in and out, a bearer key, errors as {@link ApiException}
 * carrying the API's own code and message. Blocking: a command line has nothing else to do.
 */
final class ApiClient {

  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String key;
  private final HttpClient http;

  ApiClient(String baseUrl, String key) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    this.key = key;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  JsonNode get(String path, Map<String, String> query) throws ApiException {
    return send(request(path + queryString(query)).GET().build());
  }

  JsonNode post(String path, JsonNode body) throws ApiException {
    return post(path, body, Map.of());
  }

  JsonNode post(String path, JsonNode body, Map<String, String> headers) throws ApiException {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(bytes(body));
    HttpRequest.Builder b = request(path).POST(publisher);
    if (body != null) {
      b.header("content-type", "application/json");
    }
    headers.forEach(b::header);
    return send(b.build());
  }

  /** Streams {@code length} bytes from {@code in} as the body: nothing is held in memory. */
  JsonNode postStream(String path, String contentType, Supplier<InputStream> in, long length) throws ApiException {
    HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(in), length);
    return send(request(path).header("content-type", contentType).timeout(Duration.ofHours(6)).POST(publisher).build());
  }

  private HttpRequest.Builder request(String pathAndQuery) throws ApiException {
    if (key == null || key.isBlank()) {
      throw new ApiException(401, "no_api_key", "no API key: set ESP_API_KEY or pass --api-key");
    }
    return HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(60))
        .header("authorization", "Bearer " + key)
        .header("accept", "application/json");
  }

  private JsonNode send(HttpRequest request) throws ApiException {
    HttpResponse<byte[]> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new ApiException(0, "unreachable", "cannot connect to " + base + " (is the router running? set ESP_URL)");
    } catch (HttpTimeoutException e) {
      throw new ApiException(0, "timeout", "no answer from " + base + " in time");
    } catch (IOException e) {
      throw new ApiException(0, "io", "request to " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted", "interrupted");
    }
    JsonNode body = parse(r.body());
    if (r.statusCode() >= 400) {
      JsonNode error = body.path("error");
      throw new ApiException(r.statusCode(), error.path("code").asText("http_" + r.statusCode()),
          error.path("message").asText(new String(r.body(), StandardCharsets.UTF_8)));
    }
    return body;
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException notJson) {
      return JSON.createObjectNode().put("body", new String(body, StandardCharsets.UTF_8));
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String queryString(Map<String, String> query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    StringJoiner j = new StringJoiner("&", "?", "");
    query.forEach((k, v) -> {
      if (v != null) {
        j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    });
    return j.length() == 1 ? "" : j.toString();
  }
}
