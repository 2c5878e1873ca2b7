package dev.esprouter.providers.sparkpost;

import dev.esprouter.common.Content;
import dev.esprouter.common.Priority;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.providers.send.CallGroups;
import dev.esprouter.providers.send.CallResult;
import dev.esprouter.providers.send.ProviderCall;
import dev.esprouter.providers.send.ProviderResponse;
import dev.esprouter.providers.send.RecipientOutcome;
import dev.esprouter.providers.send.RetryAfter;
import dev.esprouter.providers.send.SendDialect;
import dev.esprouter.providers.send.SendOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SparkPost Transmissions (PROVIDERS.md § 4): one transmission per call with inline
 * {@code recipients[]}, each with {@code metadata.esp_message_id} (echoed as {@code rcpt_meta}) and
 * its data as {@code substitution_data}; SparkPost's own template language fills {@code {{name}}}
 * (HTML-escaped in html), so content is sent once. The transmission id is the provider id.
 */
public final class SparkPostSendDialect implements SendDialect {

  public static final String PATH = "/api/v1/transmissions";
  /** SparkPost's best practice for large sends is 2,000-10,000 recipients a call (PROVIDERS.md § 4.1). */
  private static final int MAX_RECIPIENTS = 10_000;

  private final String apiKey;
  private final Clock clock;

  public SparkPostSendDialect(String apiKey, Clock clock) {
    this.apiKey = apiKey;
    this.clock = clock;
  }

  @Override
  public ProviderName provider() {
    return ProviderName.SPARKPOST;
  }

  @Override
  public int maxRecipientsPerCall() {
    return MAX_RECIPIENTS;
  }

  @Override
  public List<ProviderCall> calls(SendChunk chunk, List<Recipient> recipients) {
    List<ProviderCall> calls = new ArrayList<>();
    for (List<Recipient> group : CallGroups.ofSize(recipients, MAX_RECIPIENTS)) {
      calls.add(new ProviderCall(PATH, Map.of("Authorization", apiKey, "Content-Type", "application/json"),
          body(chunk, group).toBuffer(), group));
    }
    return calls;
  }

  private static JsonObject body(SendChunk chunk, List<Recipient> group) {
    JsonArray recipients = new JsonArray(new ArrayList<>(group.size()));
    for (Recipient r : group) {
      JsonObject rec = new JsonObject()
          .put("address", new JsonObject().put("email", r.to()))
          .put("metadata", new JsonObject().put("esp_message_id", r.messageId()));
      if (r.data() != null && !r.data().isEmpty()) {
        rec.put("substitution_data", r.data());
      }
      recipients.add(rec);
    }
    Content c = chunk.content();
    JsonObject content = new JsonObject().put("from", c.from());
    putIf(content, "reply_to", c.replyTo());
    putIf(content, "subject", c.subject());
    putIf(content, "html", c.html());
    putIf(content, "text", c.text());
    JsonObject body = new JsonObject()
        .put("options", new JsonObject().put("transactional", chunk.priority() == Priority.HIGH))
        .put("recipients", recipients)
        .put("content", content);
    if (chunk.campaignId() != null) {
      body.put("campaign_id", chunk.campaignId());
    }
    return body;
  }

  private static void putIf(JsonObject o, String k, String v) {
    if (v != null) {
      o.put(k, v);
    }
  }

  @Override
  public CallResult classify(ProviderCall call, ProviderResponse response) {
    int s = response.status();
    List<Recipient> rs = call.recipients();
    JsonObject body = response.jsonObject();
    if (s == 200) {
      JsonObject results = body.getJsonObject("results", new JsonObject());
      return perRecipient(rs, results);
    }
    String reason = "sparkpost " + s + ": " + errors(body, response);
    return switch (s) {
      case 400, 404, 405, 409, 413, 415, 422 -> CallResult.all(rs, SendOutcome.REJECTED, null, reason);
      case 401, 403 -> CallResult.all(rs, SendOutcome.CONFIG, null, reason);
      // 420: a sending limit was hit and nothing was sent; 429: slow down (wait 1-5 s).
      case 420, 429 -> CallResult.all(rs, SendOutcome.THROTTLED,
          RetryAfter.header(response.header("Retry-After"), clock), reason);
      default -> CallResult.all(rs, SendOutcome.TRANSIENT, null, reason);
    };
  }

  /**
   * Partial acceptance lists {@code rcpt_to_errors}; a recipient whose address an error names is
   * rejected. The transmission id is every accepted recipient's provider id.
   */
  private static CallResult perRecipient(List<Recipient> rs, JsonObject results) {
    String id = results.getValue("id") == null ? null : String.valueOf(results.getValue("id"));
    JsonArray errors = results.getJsonArray("rcpt_to_errors", new JsonArray());
    if (errors.isEmpty()) {
      return CallResult.accepted(rs, id);
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      texts.add((e.getString("message", "") + " " + e.getString("description", "")).toLowerCase(Locale.ROOT));
    }
    List<RecipientOutcome> out = new ArrayList<>(rs.size());
    for (Recipient r : rs) {
      String addr = r.to().toLowerCase(Locale.ROOT);
      String hit = texts.stream().filter(t -> t.contains(addr)).findFirst().orElse(null);
      out.add(hit == null ? RecipientOutcome.accepted(r, id)
          : RecipientOutcome.of(r, SendOutcome.REJECTED, "sparkpost: " + hit.trim()));
    }
    return new CallResult(SendOutcome.ACCEPTED, null, out, null);
  }

  private static String errors(JsonObject body, ProviderResponse response) {
    JsonArray errors = body.getJsonArray("errors");
    if (errors == null || errors.isEmpty()) {
      return response.bodySnippet();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      out.add(e.getString("code", "") + " " + e.getString("message", "") + " " + e.getString("description", ""));
    }
    return String.join("; ", out).trim();
  }
}
