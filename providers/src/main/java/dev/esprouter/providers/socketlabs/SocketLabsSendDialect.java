package dev.esprouter.providers.socketlabs;

import dev.esprouter.common.Content;
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
import dev.esprouter.providers.send.SendDialect;
import dev.esprouter.providers.send.SendOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * SocketLabs Injection API v1 (PROVIDERS.md § 3): one bulk message per call whose {@code To} is
 * {@code %%DeliveryAddress%%}, with one {@code MergeData.PerMessage} row per recipient carrying the
 * address, the router's id ({@code MessageId} = {@code %%EspMessageId%%}) and the substitution
 * values ({@code {{name}}} rewritten to {@code %%EspH0%%} / {@code %%EspT0%%}). The answer's
 * {@code MessageResults[].AddressResults[]} give per-recipient outcomes.
 */
public final class SocketLabsSendDialect implements SendDialect {

  public static final String PATH = "/api/v1/email";
  /** Recipients per bulk message per call; the server-side cap is unconfirmed (PROVIDERS.md § 3.1), so configurable. */
  private final int maxPerCall;
  private final String serverId;
  private final String apiKey;

  public SocketLabsSendDialect(String serverId, String apiKey, int maxPerCall) {
    this.serverId = serverId;
    this.apiKey = apiKey;
    this.maxPerCall = maxPerCall;
  }

  @Override
  public ProviderName provider() {
    return ProviderName.SOCKETLABS;
  }

  @Override
  public int maxRecipientsPerCall() {
    return maxPerCall;
  }

  @Override
  public List<ProviderCall> calls(SendChunk chunk, List<Recipient> recipients) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json");
    // New-format keys (public part '.' secret) authenticate as a bearer token; legacy keys only in the body.
    if (apiKey.indexOf('.') > 0) {
      headers.put("Authorization", "Bearer " + apiKey);
    }
    List<ProviderCall> calls = new ArrayList<>();
    for (List<Recipient> group : CallGroups.ofSize(recipients, maxPerCall)) {
      JsonObject body = new JsonObject()
          .put("ServerId", serverIdValue())
          .put("ApiKey", apiKey)
          .put("Messages", new JsonArray().add(message(chunk, group)));
      calls.add(new ProviderCall(PATH, headers, body.toBuffer(), group));
    }
    return calls;
  }

  private Object serverIdValue() {
    try {
      return Long.parseLong(serverId);
    } catch (NumberFormatException e) {
      return serverId;
    }
  }

  private static JsonObject message(SendChunk chunk, List<Recipient> group) {
    Content c = chunk.content();
    Set<String> textNames = new LinkedHashSet<>(InlineTemplate.placeholders(c.subject()));
    textNames.addAll(InlineTemplate.placeholders(c.text()));
    MergeFields fields = new MergeFields(c.html(), textNames, "Esp");
    MailAddress from = MailAddress.parse(c.from());
    JsonObject m = new JsonObject()
        .put("To", new JsonArray().add(new JsonObject().put("emailAddress", "%%DeliveryAddress%%")))
        .put("From", address(from))
        .put("MessageId", "%%EspMessageId%%");
    if (chunk.batchId() != null) {
      m.put("MailingId", chunk.batchId());
    }
    if (c.replyTo() != null) {
      m.put("ReplyTo", address(MailAddress.parse(c.replyTo())));
    }
    if (c.subject() != null) {
      m.put("Subject", fields.rewriteText(c.subject(), "%%", "%%"));
    }
    if (c.text() != null) {
      m.put("TextBody", fields.rewriteText(c.text(), "%%", "%%"));
    }
    if (c.html() != null) {
      m.put("HtmlBody", fields.rewriteHtml(c.html(), "%%", "%%"));
    }
    JsonArray perMessage = new JsonArray(new ArrayList<>(group.size()));
    for (Recipient r : group) {
      JsonArray row = new JsonArray()
          .add(field("DeliveryAddress", r.to()))
          .add(field("EspMessageId", r.messageId()));
      fields.values(r.data()).forEach((k, v) -> row.add(field(k, v)));
      perMessage.add(row);
    }
    return m.put("MergeData", new JsonObject().put("PerMessage", perMessage));
  }

  private static JsonObject field(String name, String value) {
    return new JsonObject().put("Field", name).put("Value", value);
  }

  private static JsonObject address(MailAddress a) {
    JsonObject o = new JsonObject().put("emailAddress", a == null ? null : a.email());
    if (a != null && a.name() != null) {
      o.put("friendlyName", a.name());
    }
    return o;
  }

  @Override
  public CallResult classify(ProviderCall call, ProviderResponse response) {
    int s = response.status();
    List<Recipient> rs = call.recipients();
    JsonObject body = response.jsonObject();
    String code = body.getString("ErrorCode");
    String reason = "socketlabs " + s + " " + (code == null ? response.bodySnippet() : code);
    if (s == 401) {
      return CallResult.all(rs, SendOutcome.CONFIG, null, reason);
    }
    if (s != 200 || code == null) {
      return CallResult.all(rs, s == 400 ? SendOutcome.REJECTED : SendOutcome.TRANSIENT, null, reason);
    }
    if (code.equals("Success") || code.equals("Warning")) {
      return perAddress(rs, body, body.getString("TransactionReceipt"));
    }
    return CallResult.all(rs, errorCode(code), null, reason);
  }

  /** Recipients named with {@code Accepted:false} in the message results fail; everyone else was accepted. */
  private static CallResult perAddress(List<Recipient> rs, JsonObject body, String receipt) {
    Map<String, String> refused = new HashMap<>();
    JsonArray results = body.getJsonArray("MessageResults", new JsonArray());
    for (int i = 0; i < results.size(); i++) {
      JsonObject mr = results.getJsonObject(i);
      JsonArray addresses = mr.getJsonArray("AddressResults", new JsonArray());
      if (addresses.isEmpty() && !"Success".equals(mr.getString("ErrorCode", "Success"))) {
        // The whole message failed: with one bulk message a call, that is every recipient.
        String reason = "socketlabs " + mr.getString("ErrorCode");
        return CallResult.all(rs, errorCode(mr.getString("ErrorCode")), null, reason);
      }
      for (int j = 0; j < addresses.size(); j++) {
        JsonObject ar = addresses.getJsonObject(j);
        if (!ar.getBoolean("Accepted", true)) {
          refused.put(ar.getString("EmailAddress", "").toLowerCase(Locale.ROOT),
              "socketlabs " + ar.getString("ErrorCode", "refused"));
        }
      }
    }
    List<RecipientOutcome> out = new ArrayList<>(rs.size());
    for (Recipient r : rs) {
      String why = refused.get(r.to().toLowerCase(Locale.ROOT));
      out.add(why == null ? RecipientOutcome.accepted(r, receipt) : RecipientOutcome.of(r, SendOutcome.REJECTED, why));
    }
    return new CallResult(SendOutcome.ACCEPTED, null, out, null);
  }

  /** PROVIDERS.md § 3.2 ErrorCode table. */
  static SendOutcome errorCode(String code) {
    if (code == null) {
      return SendOutcome.TRANSIENT;
    }
    return switch (code) {
      case "Success", "Warning" -> SendOutcome.ACCEPTED;
      case "InternalError", "Timeout", "UnknownError" -> SendOutcome.TRANSIENT;
      case "OverQuota" -> SendOutcome.THROTTLED;
      case "InvalidAuthentication", "AccountDisabled" -> SendOutcome.CONFIG;
      default -> SendOutcome.REJECTED;
    };
  }
}
