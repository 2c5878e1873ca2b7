package dev.esprouter.sandbox.socketlabs;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.Bodies;
import dev.esprouter.sandbox.core.Credentials;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.Profile;
import dev.esprouter.sandbox.core.BaseDialect;
import dev.esprouter.sandbox.core.Reply;
import dev.esprouter.sandbox.core.SendPipeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SocketLabs Injection API v1 ({@code POST /api/v1/email}, PROVIDERS.md § 3): {@code ServerId}
 * in the body with the API key as {@code Authorization: Bearer} or body {@code ApiKey}; a bad one
 * answers 401 {@code InvalidAuthentication}. Everything else answers 200 with a string
 * {@code ErrorCode} (Success, Warning with per-message {@code MessageResults}, or the request's
 * problem such as TooManyMessages, OverQuota), as the official SDKs read it. A message has at most
 * 50 recipients; a bulk message addresses {@code %%DeliveryAddress%%} with one
 * {@code MergeData.PerMessage} row per recipient, and {@code %%Field%%} in {@code MessageId} or
 * {@code MailingId} is filled from the row, so each recipient can carry its own router id.
 */
public final class SocketLabsDialect extends BaseDialect {

  static final int MAX_RECIPIENTS = 50;
  /** Rows of one bulk message: no published number; large enough for the router's chunks. */
  static final int MAX_MERGE_ROWS = 1000;
  private static final Pattern MERGE_FIELD = Pattern.compile("%%([A-Za-z0-9_]+)%%");

  private final int maxMessages;

  public SocketLabsDialect(Credentials credentials, SocketLabsWebhooks webhooks, int maxMessages) {
    super(ProviderName.SOCKETLABS, 30L * 1024 * 1024, credentials, webhooks);
    this.maxMessages = maxMessages;
  }

  @Override
  public void mount(Router router, SendPipeline pipeline) {
    router.post("/api/v1/email").handler(ctx -> send(ctx, pipeline));
  }

  private void send(RoutingContext ctx, SendPipeline pipeline) {
    JsonObject body = Bodies.object(ctx.body().buffer());
    String key = Credentials.bearer(ctx.request().getHeader("Authorization"));
    String serverId = body == null ? null : text(body.getValue("ServerId"));
    if (key == null && body != null) {
      key = Bodies.text(body.getValue("ApiKey"));
    }
    if (key == null || serverId == null || !credentials.accepts("SOCKETLABS_SERVER_ID", serverId)
        || !credentials.accepts("SOCKETLABS_API_KEY", key)) {
      pipeline.refuse(ctx, Reply.json(401, response("InvalidAuthentication", null, new JsonArray())));
      return;
    }
    if (!(body.getValue("Messages") instanceof JsonArray messages)) {
      pipeline.refuse(ctx, ok("InvalidData"));
      return;
    }
    if (messages.isEmpty()) {
      pipeline.refuse(ctx, ok("EmptyMessage"));
      return;
    }
    if (messages.size() > maxMessages) {
      pipeline.refuse(ctx, ok("TooManyMessages"));
      return;
    }
    List<Delivery> deliveries = new ArrayList<>();
    JsonArray results = new JsonArray();
    int refused = 0;
    for (int i = 0; i < messages.size(); i++) {
      JsonObject result = messages.getValue(i) instanceof JsonObject m
          ? message(m, serverId, deliveries) : failure("InvalidData");
      if (result != null) {
        results.add(result.put("Index", i));
        JsonArray addresses = result.getJsonArray("AddressResults");
        refused += addresses == null ? 1 : addresses.size();
      }
    }
    String code = results.isEmpty() ? "Success"
        : deliveries.isEmpty() && messages.size() == 1 ? results.getJsonObject(0).getString("ErrorCode") : "Warning";
    pipeline.accept(ctx, deliveries, refused, Reply.json(200, response(code, pipeline.ids().uuid(), results)));
  }

  /**
   * Checks one message and adds the recipients that go to {@code out}. Returns null when all of
   * them go, else its MessageResult: an ErrorCode for the whole message, or the refused addresses
   * in {@code AddressResults} (the others go, as SocketLabs sends to the valid addresses).
   */
  private static JsonObject message(JsonObject m, String serverId, List<Delivery> out) {
    JsonObject from = m.getValue("From") instanceof JsonObject f ? f : null;
    if (from == null || !Bodies.isEmail(from.getString("emailAddress"))) {
      return failure("InvalidFrom");
    }
    if (Bodies.text(m.getValue("Subject")) == null) {
      return failure("EmptySubject");
    }
    if (Bodies.text(m.getValue("TextBody")) == null && Bodies.text(m.getValue("HtmlBody")) == null
        && Bodies.text(m.getValue("AmpBody")) == null && m.getValue("ApiTemplate") == null) {
      return failure("NoValidBodyParts");
    }
    if (!(m.getValue("To") instanceof JsonArray to) || to.isEmpty()) {
      return failure("EmptyToAddress");
    }
    List<String> addresses = new ArrayList<>();
    for (String kind : new String[] {"To", "CC", "BCC"}) {
      if (m.getValue(kind) instanceof JsonArray list) {
        for (Object a : list) {
          addresses.add(a instanceof JsonObject o ? o.getString("emailAddress") : null);
        }
      }
    }
    if (addresses.size() > MAX_RECIPIENTS) {
      return failure("TooManyRecipients");
    }
    JsonObject echo = echo(m, serverId);
    if (addresses.size() == 1 && "%%DeliveryAddress%%".equals(addresses.get(0))) {
      return bulk(m, echo, out);
    }
    Map<String, String> global = fields(m, null);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String a : addresses) {
      Map<String, String> row = new HashMap<>(global);
      row.put("DeliveryAddress", a);
      rows.add(row);
    }
    return deliver(m, rows, echo, out);
  }

  private static JsonObject bulk(JsonObject m, JsonObject echo, List<Delivery> out) {
    JsonObject mergeData = m.getValue("MergeData") instanceof JsonObject md ? md : null;
    JsonArray perMessage = mergeData != null && mergeData.getValue("PerMessage") instanceof JsonArray r ? r : null;
    if (perMessage == null || perMessage.isEmpty() || perMessage.size() > MAX_MERGE_ROWS) {
      return failure("InvalidMergeData");
    }
    List<Map<String, String>> rows = new ArrayList<>();
    for (Object row : perMessage) {
      if (!(row instanceof JsonArray fields)) {
        return failure("InvalidMergeData");
      }
      rows.add(fields(m, fields));
    }
    return deliver(m, rows, echo, out);
  }

  /**
   * One recipient per row (its DeliveryAddress, with MessageId and MailingId merged from the row);
   * invalid addresses are listed as refused, and if none is valid the message is refused whole.
   */
  private static JsonObject deliver(JsonObject m, List<Map<String, String>> rows, JsonObject echo,
                                    List<Delivery> out) {
    JsonArray refused = new JsonArray();
    List<Delivery> accepted = new ArrayList<>();
    for (Map<String, String> row : rows) {
      String address = row.get("DeliveryAddress");
      if (!Bodies.isEmail(address)) {
        refused.add(new JsonObject().put("EmailAddress", address).put("Accepted", false)
            .put("ErrorCode", "InvalidAddress"));
        continue;
      }
      String messageId = merge(m.getString("MessageId"), row);
      JsonObject e = echo.copy().put("MailingId", merge(m.getString("MailingId"), row));
      accepted.add(new Delivery(address, messageId, messageId, e, e.getString("MailingId")));
    }
    out.addAll(accepted);
    if (refused.isEmpty()) {
      return null;
    }
    return failure(accepted.isEmpty() ? "NoValidRecipients" : "InvalidAddress").put("AddressResults", refused);
  }

  /** Global merge fields overlaid by one row's ({@code row} may be null). */
  private static Map<String, String> fields(JsonObject m, JsonArray row) {
    Map<String, String> values = new HashMap<>();
    JsonObject mergeData = m.getValue("MergeData") instanceof JsonObject md ? md : null;
    if (mergeData != null && mergeData.getValue("Global") instanceof JsonArray global) {
      put(values, global);
    }
    if (row != null) {
      put(values, row);
    }
    return values;
  }

  private static void put(Map<String, String> values, JsonArray fields) {
    for (Object f : fields) {
      if (f instanceof JsonObject o && o.getValue("Field") instanceof String name) {
        Object v = o.getValue("Value");
        values.put(name, v == null ? null : v.toString());
      }
    }
  }

  private static String merge(String template, Map<String, String> values) {
    if (template == null || !template.contains("%%")) {
      return template;
    }
    Matcher matcher = MERGE_FIELD.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (matcher.find()) {
      String v = values.get(matcher.group(1));
      matcher.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v));
    }
    matcher.appendTail(sb);
    return sb.toString();
  }

  /** What SocketLabs events carry back: ServerId, MailingId, and the message's Metadata and Tags as Data. */
  private static JsonObject echo(JsonObject m, String serverId) {
    JsonArray meta = new JsonArray();
    if (m.getValue("Metadata") instanceof JsonArray list) {
      for (Object o : list) {
        if (o instanceof JsonObject kv) {
          meta.add(new JsonObject().put("Key", kv.getValue("Key", kv.getValue("key")))
              .put("Value", kv.getValue("Value", kv.getValue("value"))));
        }
      }
    }
    JsonArray tags = m.getValue("Tags") instanceof JsonArray t ? t : new JsonArray();
    Object server = serverId.matches("\\d{1,18}") ? (Object) Long.parseLong(serverId) : serverId;
    return new JsonObject().put("ServerId", server).put("Data", new JsonObject().put("Meta", meta).put("Tags", tags));
  }

  private static String text(Object v) {
    if (v instanceof Number n) {
      return Long.toString(n.longValue());
    }
    return Bodies.text(v);
  }

  private static JsonObject failure(String code) {
    return new JsonObject().put("ErrorCode", code);
  }

  private static JsonObject response(String code, String receipt, JsonArray results) {
    return new JsonObject().put("ErrorCode", code).put("TransactionReceipt", receipt).put("MessageResults", results);
  }

  private static Reply ok(String code) {
    return Reply.json(200, response(code, null, new JsonArray()));
  }

  @Override
  public Reply serverError(int status) {
    return Reply.json(status, response("InternalError", null, new JsonArray()));
  }

  /** SocketLabs signals quota and rate limits in the body, not with 429. */
  @Override
  public Reply throttled(Profile profile, long nowMs) {
    return ok("OverQuota");
  }

  @Override
  public Reply tooLarge() {
    return ok("MessageTooLarge");
  }
}
