package dev.esprouter.providers.send;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Priority;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** Chunks and recipients shared by the dialect tests. */
public final class SendFixtures {

  private SendFixtures() {
  }

  public static Recipient recipient(String id, String to, String name) {
    return new Recipient(id, to, name == null ? null : new JsonObject().put("name", name), null);
  }

  public static SendChunk emailChunk(List<Recipient> recipients) {
    Content c = new Content("Shop <noreply@shop.example>", "help@shop.example", "Hi {{name}}",
        "<p>Hi {{name}}</p>", "Hi {{name}}", null, null);
    return chunk(Channel.EMAIL, c, recipients);
  }

  public static SendChunk chunk(Channel channel, Content content, List<Recipient> recipients) {
    return new SendChunk("bat_1", "ten_1", 0, 1, channel, Priority.NORMAL, null, null, null, 0, content,
        recipients, Instant.parse("2026-11-23T18:00:00Z"), null);
  }
}
