package dev.esprouter.providers.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.esprouter.common.ProviderName;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A parser may only ever answer with events or a {@link MalformedWebhookException}: the endpoint
 * maps that to 400 and the analytics consumer sets such a record aside, while any other exception
 * would hang a request or stall a partition. Every golden fixture is mutated field by field (each
 * field removed, and replaced by a value of each other JSON type) and parsed.
 */
class ParserRobustnessTest {

  private static final Object[] WRONG_VALUES = {null, "x", 7, -1.5, true, new JsonObject(), new JsonArray()};

  private static String fixtureOf(ProviderName p) {
    return switch (p) {
      case SENDGRID -> "sendgrid-events.json";
      case POSTMARK -> "postmark-records.json";
      case SOCKETLABS -> "socketlabs-notifications.json";
      case SPARKPOST -> "sparkpost-batch.json";
      case META -> "meta-notification.json";
      case TELEGRAM -> "telegram-updates.json";
    };
  }

  /** Providers that post one object per request keep their fixture as an array of such bodies. */
  private static boolean onePerPost(ProviderName p) {
    return p == ProviderName.POSTMARK || p == ProviderName.SOCKETLABS || p == ProviderName.TELEGRAM;
  }

  @ParameterizedTest
  @EnumSource(ProviderName.class)
  @DisplayName("Any field missing or of the wrong type gives events or MalformedWebhookException, nothing else")
  void mutations(ProviderName p) {
    WebhookParser parser = WebhookParsers.forProvider(p);
    List<Object> bodies = new ArrayList<>();
    Object fixture = Json.decodeValue(Golden.fixture(fixtureOf(p)));
    if (onePerPost(p)) {
      ((JsonArray) fixture).forEach(bodies::add);
    } else {
      bodies.add(fixture);
    }
    for (Object body : bodies) {
      mutate(body, variant -> assertThatCode(() -> {
        try {
          parser.parse(Buffer.buffer(Json.encode(variant)));
        } catch (MalformedWebhookException expected) {
          // a clear refusal is fine
        }
      }).as("%s body %s", p.wire(), Json.encode(variant)).doesNotThrowAnyException());
    }
  }

  @ParameterizedTest
  @EnumSource(ProviderName.class)
  @DisplayName("The same webhook delivered twice gives the same dedupe keys, and no two events of a fixture share one")
  void replayGivesSameKeys(ProviderName p) {
    WebhookParser parser = WebhookParsers.forProvider(p);
    List<Buffer> bodies = onePerPost(p) ? Golden.bodies(fixtureOf(p)) : List.of(Golden.fixture(fixtureOf(p)));
    List<String> first = new ArrayList<>();
    List<String> again = new ArrayList<>();
    for (Buffer body : bodies) {
      parser.parse(body).forEach(e -> first.add(e.dedupeKey()));
      parser.parse(body.copy()).forEach(e -> again.add(e.dedupeKey()));
    }
    assertThat(first).isNotEmpty().doesNotHaveDuplicates().isEqualTo(again);
  }

  /** Calls {@code check} with every single-field mutation of {@code root} (root itself restored after). */
  private static void mutate(Object root, Consumer<Object> check) {
    walk(root, root, check);
  }

  private static void walk(Object root, Object node, Consumer<Object> check) {
    if (node instanceof JsonObject o) {
      for (String key : new ArrayList<>(o.fieldNames())) {
        Object original = o.getValue(key);
        o.remove(key);
        check.accept(root);
        for (Object wrong : WRONG_VALUES) {
          o.put(key, wrong);
          check.accept(root);
        }
        o.put(key, original);
        walk(root, original, check);
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        Object original = a.getValue(i);
        for (Object wrong : WRONG_VALUES) {
          a.set(i, wrong);
          check.accept(root);
        }
        a.set(i, original);
        walk(root, original, check);
      }
    }
  }
}
