package dev.esprouter.providers.sendgrid;

import dev.esprouter.common.InlineTemplate;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
import dev.esprouter.providers.send.CallGroups;
import dev.esprouter.providers.send.CallResult;
import dev.esprouter.providers.send.MailAddress;
import dev.esprouter.providers.send.MergeFields;
import dev.esprouter.providers.send.ProviderCall;
import dev.esprouter.providers.send.ProviderResponse;
import dev.esprouter.providers.send.RecipientOutcome;
import dev.esprouter.providers.send.RetryAfter;
import dev.esprouter.providers.send.SendDialect;
import dev.esprouter.providers.send.SendOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SendGrid v3 Mail Send (PROVIDERS.md § 1): one content, one personalization per recipient (up to
 * 1000 a call, no address twice in a call). The router's id rides in {@code custom_args.esp_message_id}.
 * Per-recipient data uses SendGrid's own {@code substitutions}: each {@code {{name}}} of the body
 * becomes a tag whose value is filled per personalization (escaped in HTML, raw in text); the
 * subject is rendered per personalization.
 */
public final class SendGridSendDialect implements SendDialect {

  public static final String PATH = "/v3/mail/send";
  private static final int MAX_PERSONALIZATIONS = 1000;
  /** Substitution tags look like {@code -espH0-}: literal strings SendGrid replaces per personalization. */
  private static final String TAG = "-";
  private static final Pattern PERSONALIZATION_FIELD = Pattern.compile("^personalizations\\.(\\d+)\\b");

  private final String apiKey;
  private final Clock clock;

  public SendGridSendDialect(String apiKey, Clock clock) {
    this.apiKey = apiKey;
    this.clock = clock;
  }

  @Override
  public ProviderName provider() {
    return ProviderName.SENDGRID;
  }

  @Override
  public int maxRecipientsPerCall() {
    return MAX_PERSONALIZATIONS;
  }

  @Override
  public List<ProviderCall> calls(SendChunk chunk, List<Recipient> recipients) {
    List<ProviderCall> calls = new ArrayList<>();
    for (List<Recipient> group : CallGroups.distinctAddresses(recipients, MAX_PERSONALIZATIONS)) {
      calls.add(new ProviderCall(PATH, Map.of("Authorization", "Bearer " + apiKey,
          "Content-Type", "application/json"), body(chunk, group).toBuffer(), group));
    }
    return calls;
  }

  JsonObject body(SendChunk chunk, List<Recipient> group) {
    var content = chunk.content();
    MergeFields fields = new MergeFields(content.html(), InlineTemplate.placeholders(content.text()), "esp");
    JsonArray personalizations = new JsonArray(new ArrayList<>(group.size()));
    for (Recipient r : group) {
      JsonObject p = new JsonObject()
          .put("to", new JsonArray().add(new JsonObject().put("email", r.to())))
          .put("custom_args", new JsonObject().put("esp_message_id", r.messageId()));
      if (content.subject() != null) {
        p.put("subject", InlineTemplate.render(content.subject(), r.data(), false));
      }
      JsonObject subs = new JsonObject();
      fields.values(r.data()).forEach((field, value) -> subs.put(TAG + field + TAG, value));
      if (!subs.isEmpty()) {
        p.put("substitutions", subs);
      }
      personalizations.add(p);
    }
    JsonObject body = new JsonObject().put("personalizations", personalizations).put("from", address(content.from()));
    if (content.replyTo() != null) {
      body.put("reply_to", address(content.replyTo()));
    }
    if (content.subject() != null) {
      body.put("subject", content.subject());
    }
    JsonArray parts = new JsonArray();
    if (content.text() != null) {
      parts.add(new JsonObject().put("type", "text/plain").put("value", fields.rewriteText(content.text(), TAG, TAG)));
    }
    if (content.html() != null) {
      parts.add(new JsonObject().put("type", "text/html").put("value", fields.rewriteHtml(content.html(), TAG, TAG)));
    }
    return body.put("content", parts);
  }

  private static JsonObject address(String s) {
    MailAddress a = MailAddress.parse(s);
    JsonObject o = new JsonObject().put("email", a == null ? null : a.email());
    if (a != null && a.name() != null) {
      o.put("name", a.name());
    }
    return o;
  }

  @Override
  public CallResult classify(ProviderCall call, ProviderResponse response) {
    int s = response.status();
    List<Recipient> rs = call.recipients();
    String reason = "sendgrid " + s + ": " + errorMessages(response);
    if (s >= 200 && s < 300) {
      return CallResult.accepted(rs, response.header("X-Message-Id"));
    }
    if (s == 429) {
      Duration wait = RetryAfter.header(response.header("Retry-After"), clock);
      if (wait == null) {
        wait = RetryAfter.epochReset(response.header("X-RateLimit-Reset"), clock);
      }
      return CallResult.all(rs, SendOutcome.THROTTLED, wait, reason);
    }
    if (s == 400) {
      return badRequest(rs, response, reason);
    }
    if (s == 413 || s == 406) {
      return CallResult.all(rs, SendOutcome.REJECTED, null, reason);
    }
    if (s == 403 && reason.toLowerCase(java.util.Locale.ROOT).contains("too many bad requests")) {
      return CallResult.all(rs, SendOutcome.THROTTLED, null, reason);
    }
    if (s == 401 || s == 403 || s == 404 || s == 405 || s == 451) {
      return CallResult.all(rs, SendOutcome.CONFIG, null, reason);
    }
    return CallResult.all(rs, SendOutcome.TRANSIENT, null, reason);
  }

  /**
   * A 400 rejects the whole call. When every error names a personalization, only those recipients
   * are at fault: they fail, and the others go to another provider rather than failing with them.
   */
  private static CallResult badRequest(List<Recipient> rs, ProviderResponse response, String reason) {
    JsonArray errors = response.jsonObject().getJsonArray("errors", new JsonArray());
    Set<Integer> bad = new HashSet<>();
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      Matcher m = PERSONALIZATION_FIELD.matcher(e == null || e.getString("field") == null ? "" : e.getString("field"));
      if (!m.find()) {
        return CallResult.all(rs, SendOutcome.REJECTED, null, reason);
      }
      bad.add(Integer.parseInt(m.group(1)));
    }
    if (bad.isEmpty()) {
      return CallResult.all(rs, SendOutcome.REJECTED, null, reason);
    }
    List<RecipientOutcome> out = new ArrayList<>(rs.size());
    for (int i = 0; i < rs.size(); i++) {
      out.add(bad.contains(i) ? RecipientOutcome.of(rs.get(i), SendOutcome.REJECTED, reason)
          : RecipientOutcome.of(rs.get(i), SendOutcome.TRANSIENT, "sendgrid rejected the call for other recipients"));
    }
    return new CallResult(SendOutcome.ACCEPTED, null, out, reason);
  }

  private static String errorMessages(ProviderResponse response) {
    JsonArray errors = response.jsonObject().getJsonArray("errors");
    if (errors == null || errors.isEmpty()) {
      return response.bodySnippet();
    }
    List<String> msgs = new ArrayList<>();
    for (int i = 0; i < errors.size(); i++) {
      JsonObject e = errors.getJsonObject(i);
      msgs.add(e.getString("field") == null ? e.getString("message") : e.getString("field") + ": " + e.getString("message"));
    }
    return String.join("; ", msgs);
  }
}
