package dev.esprouter.sandbox.postmark;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.Bodies;
import dev.esprouter.sandbox.core.Credentials;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.Profile;
import dev.esprouter.sandbox.core.BaseDialect;
import dev.esprouter.sandbox.core.Reply;
import dev.esprouter.sandbox.core.SendPipeline;
import dev.esprouter.sandbox.core.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Postmark's Email API (PROVIDERS.md § 2): {@code X-Postmark-Server-Token}; {@code POST /email}
 * (10 MB) and {@code POST /email/batch} (500 messages, 50 MB), trailing slash or not; at most 50
 * recipients (To, Cc, Bcc) a message. 200 with {@code MessageID}; a batch answers 200 with one
 * result per element in order; errors are 422 {@code {"ErrorCode","Message"}}, a bad token 401
 * with ErrorCode 10. {@code Metadata} and {@code Tag} come back in every webhook.
 */
public final class PostmarkDialect extends BaseDialect {

  static final int MAX_BATCH = 500;
  static final int MAX_RECIPIENTS = 50;
  static final long MAX_SINGLE_BYTES = 10L * 1024 * 1024;


  public PostmarkDialect(Credentials credentials, PostmarkWebhooks webhooks) {
    super(ProviderName.POSTMARK, 50L * 1024 * 1024, credentials, webhooks);
  }

  @Override
  public void mount(Router router, SendPipeline pipeline) {
    router.post("/email").handler(ctx -> single(ctx, pipeline));
    router.post("/email/").handler(ctx -> single(ctx, pipeline));
    router.post("/email/batch").handler(ctx -> batch(ctx, pipeline));
    router.post("/email/batch/").handler(ctx -> batch(ctx, pipeline));
  }

  private Reply unauthorized(RoutingContext ctx) {
    String token = ctx.request().getHeader("X-Postmark-Server-Token");
    if (token == null || token.isBlank()) {
      return error(401, 10, "No Account or Server API tokens were supplied in the HTTP headers. Please add a header "
          + "for either X-Postmark-Server-Token or X-Postmark-Account-Token.");
    }
    if (!credentials.accepts("POSTMARK_SERVER_TOKEN", token.trim())) {
      return error(401, 10, "The Server Token you provided in the X-Postmark-Server-Token request header was invalid. "
          + "Please verify that you are using a valid token.");
    }
    return null;
  }

  private void single(RoutingContext ctx, SendPipeline pipeline) {
    Reply refused = unauthorized(ctx);
    if (refused == null && ctx.body().buffer() != null && ctx.body().buffer().length() > MAX_SINGLE_BYTES) {
      refused = tooLarge();
    }
    Object body = Bodies.any(ctx.body().buffer());
    if (refused == null && body == null) {
      refused = error(422, 402, "Received invalid JSON input.");
    }
    if (refused == null && !(body instanceof JsonObject)) {
      refused = error(422, 403, "Incompatible JSON input.");
    }
    if (refused != null) {
      pipeline.refuse(ctx, refused);
      return;
    }
    List<Delivery> deliveries = new ArrayList<>();
    JsonObject result = message((JsonObject) body, pipeline, deliveries, Times.iso(System.currentTimeMillis()));
    if (result.getInteger("ErrorCode") != 0) {
      pipeline.refuse(ctx, Reply.json(422, result));
    } else {
      pipeline.accept(ctx, deliveries, 0, Reply.json(200, result));
    }
  }

  private void batch(RoutingContext ctx, SendPipeline pipeline) {
    Reply refused = unauthorized(ctx);
    Object body = Bodies.any(ctx.body().buffer());
    if (refused == null && body == null) {
      refused = error(422, 402, "Received invalid JSON input.");
    }
    if (refused == null && !(body instanceof JsonArray)) {
      refused = error(422, 403, "Incompatible JSON input: a batch is a JSON array of messages.");
    }
    if (refused == null && ((JsonArray) body).size() > MAX_BATCH) {
      refused = error(422, 410, "Too many batch messages (" + ((JsonArray) body).size() + "). The maximum is "
          + MAX_BATCH + ".");
    }
    if (refused != null) {
      pipeline.refuse(ctx, refused);
      return;
    }
    JsonArray messages = (JsonArray) body;
    JsonArray results = new JsonArray();
    List<Delivery> deliveries = new ArrayList<>();
    int failed = 0;
    String submittedAt = Times.iso(System.currentTimeMillis());
    for (Object m : messages) {
      JsonObject r = m instanceof JsonObject o ? message(o, pipeline, deliveries, submittedAt)
          : result(403, "Incompatible JSON input: each batch element is a message object.");
      if (r.getInteger("ErrorCode") != 0) {
        failed++;
      }
      results.add(r);
    }
    pipeline.accept(ctx, deliveries, failed, Reply.json(200, results));
  }

  /** Checks one message; on success adds its recipients to {@code out} and returns the OK result. */
  private static JsonObject message(JsonObject m, SendPipeline pipeline, List<Delivery> out, String submittedAt) {
    String fromField = Bodies.text(m.getValue("From"));
    if (fromField == null || Bodies.emailOf(fromField) == null) {
      return result(300, "Invalid 'From' address: '" + (fromField == null ? "" : fromField) + "'.");
    }
    String toField = Bodies.text(m.getValue("To"));
    if (toField == null) {
      return result(300, "Invalid 'To' address: ''.");
    }
    List<String> recipients = new ArrayList<>();
    for (String kind : new String[] {"To", "Cc", "Bcc"}) {
      String list = Bodies.text(m.getValue(kind));
      if (list == null) {
        continue;
      }
      for (String part : list.split(",")) {
        String addr = Bodies.emailOf(part);
        if (addr == null) {
          return result(300, "Invalid '" + kind + "' address: '" + part.trim() + "'.");
        }
        recipients.add(addr);
      }
    }
    if (recipients.size() > MAX_RECIPIENTS) {
      return result(300, "Maximum of " + MAX_RECIPIENTS + " recipients (To, Cc and Bcc) per message exceeded ("
          + recipients.size() + ").");
    }
    if (Bodies.text(m.getValue("TextBody")) == null && Bodies.text(m.getValue("HtmlBody")) == null) {
      return result(300, "Provide either email TextBody or HtmlBody or both.");
    }
    Object metadata = m.getValue("Metadata");
    if (metadata != null && !(metadata instanceof JsonObject)) {
      return result(300, "Metadata must be an object of key/value pairs.");
    }
    JsonObject meta = (JsonObject) metadata;
    JsonObject echo = new JsonObject()
        .put("Metadata", meta == null ? new JsonObject() : meta)
        .put("Tag", m.getString("Tag", ""))
        .put("MessageStream", m.getString("MessageStream", "outbound"));
    String routerId = meta == null ? null : Bodies.text(meta.getValue("esp_message_id"));
    String messageId = pipeline.ids().uuid();
    for (String r : recipients) {
      out.add(new Delivery(r, routerId, messageId, echo, null));
    }
    return new JsonObject()
        .put("To", toField)
        .put("SubmittedAt", submittedAt)
        .put("MessageID", messageId)
        .put("ErrorCode", 0)
        .put("Message", "OK");
  }

  private static JsonObject result(int code, String message) {
    return new JsonObject().put("ErrorCode", code).put("Message", message);
  }

  static Reply error(int status, int code, String message) {
    return Reply.json(status, result(code, message));
  }

  @Override
  public Reply serverError(int status) {
    return status == 503 ? error(503, 100, "Maintenance") : error(status, 0, "Internal server error");
  }

  /** Postmark documents no retry header on 429: only "reduce the rate". */
  @Override
  public Reply throttled(Profile profile, long nowMs) {
    return error(429, 429, "Rate limit exceeded");
  }

  @Override
  public Reply tooLarge() {
    return error(413, 0, "Request entity too large.");
  }
}
