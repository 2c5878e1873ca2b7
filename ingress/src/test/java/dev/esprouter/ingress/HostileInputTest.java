package dev.esprouter.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.esprouter.testkit.EspTestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Hostile input never gets past validation")
class HostileInputTest {

  @RegisterExtension
  static final EspTestEnv env = new EspTestEnv();

  private static final String[] STRING_FIELDS = {"channel", "to", "from", "reply_to", "subject", "html", "text",
      "template", "locale", "priority", "send_at", "provider"};
  private static final Object[] NOT_STRINGS = {123, true, 1.5, new JsonArray().add("x"), new JsonObject().put("a", 1),
      -9_999_999_999_999L};
  private static final Object[] NOT_OBJECTS = {"text", 42, false, new JsonArray()};

  private final Random random = new Random(20261123);

  /** One request that must be refused: where it goes, its raw body, extra headers, what it is. */
  private record Attempt(String path, Buffer body, Map<String, String> headers, String kind) {
  }

  @Test
  @DisplayName("600 generated malformed or hostile bodies all get a 4xx with the error shape, and nothing is enqueued")
  void generatedBodies() {
    List<Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      attempts.add(next(i));
    }
    try (IngressHarness h = IngressHarness.start(env, Map.of("ESP_TENANT_RATE_LIMIT_PER_SEC", "1000000"))) {
      List<String> failures = new ArrayList<>();
      for (Attempt a : attempts) {
        HttpResponse<Buffer> r = h.call(HttpMethod.POST, a.path(), IngressHarness.BOOTSTRAP_KEY, a.body(), a.headers());
        boolean shaped;
        try {
          JsonObject e = r.bodyAsJsonObject().getJsonObject("error");
          shaped = e != null && e.getString("code") != null && e.getString("message") != null;
        } catch (RuntimeException e) {
          shaped = false;
        }
        if (r.statusCode() < 400 || r.statusCode() >= 500 || !shaped) {
          failures.add(a.kind() + " → " + r.statusCode() + " " + Addresses.shorten(r.bodyAsString()));
        }
      }
      assertThat(failures).isEmpty();
      assertThat(env.database().count("select count(*) from messages")).isZero();
      assertThat(env.database().count("select count(*) from batches")).isZero();
      assertThat(env.database().count("select count(*) from idempotency_keys")).isZero();
      assertThat(h.sendRecords("read_uncommitted", 2000)).isEmpty();
    }
  }

  private Attempt next(int i) {
    boolean batch = i % 3 == 2;
    String path = batch ? "/v1/batches" : "/v1/messages";
    JsonObject valid = batch ? Bodies.batch(3) : Bodies.email("alice@example.com");
    int kind = i % 16;
    return switch (kind) {
      case 0 -> new Attempt(path, truncated(valid), Map.of(), "truncated");
      case 1 -> {
        String f = pick(STRING_FIELDS);
        yield attempt(path, valid.put(f, pick(NOT_STRINGS)), "wrong type of " + f);
      }
      case 2 -> {
        String f = random.nextBoolean() ? "metadata" : batch ? "recipients" : "data";
        yield attempt(path, valid.put(f, pick(NOT_OBJECTS)), "wrong type of " + f);
      }
      case 3 -> attempt(path, huge(valid, batch), "huge value");
      case 4 -> {
        String f = pick(new String[] {"from", "reply_to", "subject"});
        String v = f.equals("subject") ? "Hi\r\nBcc: victim@example.com" : "a@example.com\r\nBcc: victim@example.com";
        yield attempt(path, valid.put(f, random.nextBoolean() ? v : v.replace("\r", "")), "CRLF in " + f);
      }
      case 5 -> new Attempt(path, badUtf8(valid, batch), Map.of(), "bad UTF-8");
      case 6 -> attempt(path, valid.put(randomName(), "x"), "unknown field");
      case 7 -> new Attempt(path, Buffer.buffer(pick(new String[] {"[]", "\"str\"", "123", "null", "true", "",
          "{}", "{\"channel\":}", "{'channel':'email'}", "{\"channel\":\"email\",}"})), Map.of(), "not an object");
      case 8 -> {
        String f = pick(batch ? new String[] {"channel", "recipients", "from", "subject"}
            : new String[] {"channel", "to", "from", "subject"});
        valid.remove(f);
        yield attempt(path, valid, "missing " + f);
      }
      case 9 -> attempt(path, badAddresses(valid, batch), "bad address");
      case 10 -> new Attempt(path, deep(3000 + random.nextInt(3000)), Map.of(), "deep nesting");
      case 11 -> {
        byte[] b = new byte[1 + random.nextInt(2000)];
        random.nextBytes(b);
        yield new Attempt(path, Buffer.buffer(b), Map.of(), "random bytes");
      }
      case 12 -> {
        String[][] bad = {{"channel", "sms"}, {"priority", "urgent"}, {"provider", "mailgun"}, {"provider", "telegram"},
            {"send_at", "tomorrow"}, {"send_at", "2099-01-01T00:00:00Z"}, {"locale", "en_US!"}, {"template", "../etc"}};
        String[] b = bad[random.nextInt(bad.length)];
        yield attempt(path, valid.put(b[0], b[1]), "bad value of " + b[0]);
      }
      case 13 -> new Attempt(path, valid.toBuffer(), Map.of("Idempotency-Key", "k".repeat(256 + random.nextInt(100))),
          "overlong Idempotency-Key");
      case 14 -> attempt(path, channelMismatch(valid), "content that does not fit the channel");
      default -> batch ? attempt(path, badRecipients(valid), "bad recipients list")
          : attempt(path, valid.put("to", Buffer.buffer(new byte[] {0}).toString() + "@example.com"), "NUL address");
    };
  }

  private Attempt attempt(String path, JsonObject body, String kind) {
    return new Attempt(path, body.toBuffer(), Map.of(), kind);
  }

  private Buffer truncated(JsonObject valid) {
    byte[] b = valid.toBuffer().getBytes();
    return Buffer.buffer(java.util.Arrays.copyOf(b, 1 + random.nextInt(b.length - 1)));
  }

  private JsonObject huge(JsonObject valid, boolean batch) {
    return switch (random.nextInt(5)) {
      case 0 -> valid.put("subject", "s".repeat(999 + random.nextInt(20_000)));
      case 1 -> batch ? valid.put("from", "a".repeat(600) + "@example.com") : valid.put("to", "a".repeat(300) + "@example.com");
      case 2 -> valid.put("metadata", new JsonObject().put("blob", "m".repeat(4097 + random.nextInt(4000))));
      case 3 -> valid.put("template", "t".repeat(129 + random.nextInt(500)));
      default -> valid.put("html", "h".repeat(512 * 1024 + 1 + random.nextInt(1000)));
    };
  }

  /** A valid body with an invalid UTF-8 sequence inside the recipient address. */
  private Buffer badUtf8(JsonObject valid, boolean batch) {
    String marker = "ZZMARKERZZ";
    if (batch) {
      valid.getJsonArray("recipients").getJsonObject(0).put("to", marker + "@example.com");
      valid.getJsonArray("recipients").remove(2);
      valid.getJsonArray("recipients").remove(1);
    } else {
      valid.put("to", marker + "@example.com");
    }
    byte[][] bad = {{(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}};
    String json = valid.encode();
    int at = json.indexOf(marker);
    Buffer b = Buffer.buffer();
    b.appendBytes(json.substring(0, at).getBytes(StandardCharsets.UTF_8));
    b.appendBytes(bad[random.nextInt(bad.length)]);
    b.appendBytes(json.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
    return b;
  }

  private JsonObject badAddresses(JsonObject valid, boolean batch) {
    String[] bad = {"bob@", "@example.com", "bob", "bob@@example.com", "bob@example", "bob..x@example.com",
        ".bob@example.com", "bob@-example.com", "bob@exa mple.com", "bob@example.123", "\"quoted\"@example.com",
        "bob@" + "x".repeat(64) + ".com", "<bob@example.com>", "bob@example.com\r\n"};
    if (!batch) {
      return valid.put("to", pick(bad));
    }
    JsonArray list = new JsonArray();
    for (int i = 0; i < 1 + random.nextInt(5); i++) {
      list.add(new JsonObject().put("to", pick(bad)));
    }
    return valid.put("recipients", list);
  }

  private JsonObject channelMismatch(JsonObject valid) {
    return switch (random.nextInt(4)) {
      case 0 -> valid.put("channel", "whatsapp");
      case 1 -> valid.put("channel", "telegram");
      case 2 -> valid.put("provider", "meta");
      default -> {
        valid.remove("html");
        valid.remove("text");
        yield valid;
      }
    };
  }

  private JsonObject badRecipients(JsonObject valid) {
    return switch (random.nextInt(4)) {
      case 0 -> valid.put("recipients", new JsonArray());
      case 1 -> {
        JsonArray many = new JsonArray();
        for (int i = 0; i < 10_001; i++) {
          many.add(new JsonObject().put("to", "u" + i + "@example.com"));
        }
        yield valid.put("recipients", many);
      }
      case 2 -> valid.put("recipients", new JsonArray().add(1).add("a@example.com").addNull());
      default -> valid.put("recipients", new JsonArray().add(new JsonObject().put("to", "a@example.com")
          .put("cc", "b@example.com")));
    };
  }

  private Buffer deep(int depth) {
    StringBuilder b = new StringBuilder("{\"channel\":\"email\",\"to\":\"a@example.com\",\"data\":");
    b.append("{\"a\":".repeat(depth)).append("1").append("}".repeat(depth)).append("}");
    return Buffer.buffer(b.toString());
  }

  private String randomName() {
    String[] names = {"bcc", "cc", "attachments", "__proto__", "constructor", "to ", "Channel", "headers", "x".repeat(300),
        "\u0000", "\u202e", "emoji\uD83D\uDE00"};
    return names[random.nextInt(names.length)];
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }
}
