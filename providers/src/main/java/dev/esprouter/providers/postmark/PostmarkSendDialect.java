package dev.esprouter.providers.postmark;

import dev.esprouter.common.Content;
import dev.esprouter.common.InlineTemplate;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.providers.send.CallGroups;
import dev.esprouter.providers.send.CallResult;
import dev.esprouter.providers.send.ProviderCall;
import dev.esprouter.providers.send.ProviderResponse;
import dev.esprouter.providers.send.RecipientOutcome;
import dev.esprouter.providers.send.SendDialect;
import dev.esprouter.providers.send.SendOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Postmark {@code POST /email/batch} (PROVIDERS.md § 2): up to 500 full messages a call, each
 * rendered for its recipient, the router's id in {@code Metadata.esp_message_id}. The answer is
 * 200 with one element per message in request order, each with its own {@code ErrorCode}.
 */
public final class PostmarkSendDialect implements SendDialect {

  public static final String PATH = "/email/batch";
  private static final int MAX_BATCH = 500;

  private final String serverToken;
  private final String messageStream;

  public PostmarkSendDialect(String serverToken, String messageStream) {
    this.serverToken = serverToken;
    this.messageStream = messageStream;
  }

  @Override
  public ProviderName provider() {
    return ProviderName.POSTMARK;
  }

  @Override
  public int maxRecipientsPerCall() {
    return MAX_BATCH;
  }

  @Override
  public List<ProviderCall> calls(SendChunk chunk, List<Recipient> recipients) {
    List<ProviderCall> calls = new ArrayList<>();
    for (List<Recipient> group : CallGroups.ofSize(recipients, MAX_BATCH)) {
      JsonArray body = new JsonArray(new ArrayList<>(group.size()));
      for (Recipient r : group) {
        body.add(message(chunk.content(), r));
      }
      calls.add(new ProviderCall(PATH, Map.of("X-Postmark-Server-Token", serverToken,
          "Content-Type", "application/json", "Accept", "application/json"), body.toBuffer(), group));
    }
    return calls;
  }

  private JsonObject message(Content c, Recipient r) {
    JsonObject m = new JsonObject()
        .put("From", c.from())
        .put("To", r.to())
        .put("MessageStream", messageStream)
        .put("Metadata", new JsonObject().put("esp_message_id", r.messageId()));
    if (c.replyTo() != null) {
      m.put("ReplyTo", c.replyTo());
    }
    if (c.subject() != null) {
      m.put("Subject", InlineTemplate.render(c.subject(), r.data(), false));
    }
    if (c.html() != null) {
      m.put("HtmlBody", InlineTemplate.render(c.html(), r.data(), true));
    }
    if (c.text() != null) {
      m.put("TextBody", InlineTemplate.render(c.text(), r.data(), false));
    }
    return m;
  }

  @Override
  public CallResult classify(ProviderCall call, ProviderResponse response) {
    int s = response.status();
    List<Recipient> rs = call.recipients();
    if (s == 200) {
      JsonArray elements = response.jsonArray();
      if (elements == null || elements.size() != rs.size()) {
        // Not the documented shape: we cannot tell who was accepted, so nobody is marked sent.
        return CallResult.all(rs, SendOutcome.TRANSIENT, null, "postmark 200 without one result per message: "
            + response.bodySnippet());
      }
      List<RecipientOutcome> out = new ArrayList<>(rs.size());
      for (int i = 0; i < rs.size(); i++) {
        JsonObject e = elements.getJsonObject(i);
        int code = e.getInteger("ErrorCode", -1);
        if (code == 0) {
          out.add(RecipientOutcome.accepted(rs.get(i), e.getString("MessageID")));
        } else {
          out.add(RecipientOutcome.of(rs.get(i), errorCode(code), "postmark " + code + ": " + e.getString("Message")));
        }
      }
      return new CallResult(SendOutcome.ACCEPTED, null, out, null);
    }
    JsonObject err = response.jsonObject();
    String reason = "postmark " + s + (err.containsKey("ErrorCode") ? " ErrorCode " + err.getValue("ErrorCode") : "")
        + ": " + err.getString("Message", response.bodySnippet());
    if (s == 429) {
      return CallResult.all(rs, SendOutcome.THROTTLED, null, reason);
    }
    if (s == 401) {
      return CallResult.all(rs, SendOutcome.CONFIG, null, reason);
    }
    if (s == 422 && err.getValue("ErrorCode") instanceof Number n) {
      return CallResult.all(rs, errorCode(n.intValue()), null, reason);
    }
    if (s == 413 || s == 415 || s == 422) {
      return CallResult.all(rs, SendOutcome.REJECTED, null, reason);
    }
    if (s == 404) {
      return CallResult.all(rs, SendOutcome.CONFIG, null, reason);
    }
    return CallResult.all(rs, SendOutcome.TRANSIENT, null, reason);
  }

  /** PROVIDERS.md § 2.2 ErrorCode table. */
  static SendOutcome errorCode(int code) {
    return switch (code) {
      case 0 -> SendOutcome.ACCEPTED;
      case 10, 400, 401, 405, 412, 413 -> SendOutcome.CONFIG;
      case 100 -> SendOutcome.TRANSIENT;
      case 429 -> SendOutcome.THROTTLED;
      case 300, 402, 403, 406, 409, 410, 411 -> SendOutcome.REJECTED;
      default -> SendOutcome.REJECTED;
    };
  }
}
