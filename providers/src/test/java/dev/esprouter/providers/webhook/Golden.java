package dev.esprouter.providers.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.common.DeliveryEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixtures and golden files of the parser tests. A fixture is a webhook body written from the
 * provider's documented format ({@code src/test/resources/webhooks/}); its golden file
 * ({@code <fixture>.expected.json}) holds the normalized events, reviewed by hand. Run with
 * {@code -Dgolden.update=true} to rewrite the golden files after a deliberate mapping change.
 */
public final class Golden {

  private static final Path SOURCE_DIR = Path.of("src/test/resources/webhooks");

  private Golden() {
  }

  public static Buffer fixture(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/webhooks/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** For providers that POST one object at a time: the fixture is an array of such bodies. */
  public static List<Buffer> bodies(String name) {
    List<Buffer> out = new ArrayList<>();
    for (Object o : new JsonArray(fixture(name))) {
      out.add(Buffer.buffer(io.vertx.core.json.Json.encode(o)));
    }
    return out;
  }

  /** The events of every body of a one-object-per-POST fixture, in order. */
  public static List<DeliveryEvent> parseEach(WebhookParser parser, String name) {
    List<DeliveryEvent> all = new ArrayList<>();
    bodies(name).forEach(b -> all.addAll(parser.parse(b)));
    return all;
  }

  public static void assertMatches(List<DeliveryEvent> events, String fixtureName) {
    JsonArray actual = new JsonArray();
    events.forEach(e -> actual.add(e.toJson()));
    String goldenName = fixtureName.replace(".json", ".expected.json");
    if (Boolean.getBoolean("golden.update")) {
      try {
        Files.writeString(SOURCE_DIR.resolve(goldenName), actual.encodePrettily() + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    assertThat(actual).as("events of %s against %s", fixtureName, goldenName)
        .isEqualTo(new JsonArray(fixture(goldenName)));
  }
}
