package dev.esprouter.sandbox.sendgrid;

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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SendGrid v3 Mail Send ({@code POST /v3/mail/send}, PROVIDERS.md § 1): Bearer API key, one
 * content for up to 1000 personalizations and 1000 recipients, no address twice, 30 MB; 202 with
 * an empty body and {@code X-Message-Id}; errors as {@code {"errors":[{"message","field","help"}]}};
 * 429 with {@code X-RateLimit-Reset}. {@code custom_args} (request-wide, overridden per
 * personalization) come back as top-level keys of every event.
 */
public final class SendGridDialect extends BaseDialect {

  static final int MAX_PERSONALIZATIONS = 1000;
  static final int MAX_RECIPIENTS = 1000;


  public SendGridDialect(Credentials credentials, SendGridWebhooks webhooks) {
    super(ProviderName.SENDGRID, 30L * 1024 * 1024, credentials, webhooks);
  }

  @Override
  public void mount(Router router, SendPipeline pipeline) {
    router.post("/v3/mail/send").handler(ctx -> send(ctx, pipeline));
  }

  private void send(RoutingContext ctx, SendPipeline pipeline) {
    String auth = ctx.request().getHeader("Authorization");
    String key = Credentials.bearer(auth);
    if (key == null) {
      pipeline.refuse(ctx, error(401, null, "authorization required"));
      return;
    }
    if (!credentials.accepts("SENDGRID_API_KEY", key)) {
      pipeline.refuse(ctx, error(401, null, "The provided authorization grant is invalid, expired, or revoked"));
      return;
    }
    JsonObject body = Bodies.object(ctx.body().buffer());
    if (body == null) {
      pipeline.refuse(ctx, error(400, null, "Bad Request"));
      return;
    }
    String messageId = pipeline.ids().base64Id();
    List<Delivery> deliveries = new ArrayList<>();
    Reply invalid = validate(body, messageId, deliveries);
    if (invalid != null) {
      pipeline.refuse(ctx, invalid);
      return;
    }
    pipeline.accept(ctx, deliveries, 0, Reply.empty(202).withHeader("X-Message-Id", messageId));
  }

  /** Checks the request as Mail Send does and collects its recipients; the first problem found is the answer. */
  private static Reply validate(JsonObject body, String messageId, List<Delivery> out) {
    if (!(body.getValue("personalizations") instanceof JsonArray ps) || ps.isEmpty()) {
      return error(400, "personalizations",
          "The personalizations field is required and must have at least one personalization.");
    }
    if (ps.size() > MAX_PERSONALIZATIONS) {
      return error(400, "personalizations", "The personalizations field must have no more than "
          + MAX_PERSONALIZATIONS + " items.");
    }
    JsonObject from = body.getValue("from") instanceof JsonObject f ? f : null;
    if (from == null || !Bodies.isEmail(from.getString("email"))) {
      return error(400, "from.email", "The from object must be provided for every email send. It is an object that "
          + "requires the email parameter, but may also contain a name parameter.");
    }
    boolean template = Bodies.text(body.getValue("template_id")) != null;
    JsonObject globalArgs = new JsonObject();
    if (body.containsKey("custom_args")) {
      Reply bad = customArgs(body.getValue("custom_args"), "custom_args", globalArgs);
      if (bad != null) {
        return bad;
      }
    }
    boolean everySubject = true;
    int recipients = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ps.size(); i++) {
      if (!(ps.getValue(i) instanceof JsonObject p)) {
        return error(400, "personalizations." + i, "Each personalization must be an object.");
      }
      everySubject &= Bodies.text(p.getValue("subject")) != null;
      JsonObject args = globalArgs.isEmpty() ? new JsonObject() : globalArgs.copy();
      if (p.containsKey("custom_args")) {
        Reply bad = customArgs(p.getValue("custom_args"), "personalizations." + i + ".custom_args", args);
        if (bad != null) {
          return bad;
        }
      }
      if (!(p.getValue("to") instanceof JsonArray to) || to.isEmpty()) {
        return error(400, "personalizations." + i + ".to", "The to array is required for all personalization "
            + "objects, and must have at least one email object with a valid email address.");
      }
      String routerId = args.getString("esp_message_id");
      JsonObject echo = args.isEmpty() ? null : args;
      for (String kind : new String[] {"to", "cc", "bcc"}) {
        if (!p.containsKey(kind)) {
          continue;
        }
        String field = "personalizations." + i + "." + kind;
        if (!(p.getValue(kind) instanceof JsonArray list)) {
          return error(400, field, "The " + kind + " field must be an array of email objects.");
        }
        for (int j = 0; j < list.size(); j++) {
          JsonObject address = list.getValue(j) instanceof JsonObject e ? e : null;
          String email = address == null ? null : Bodies.text(address.getValue("email"));
          if (!Bodies.isEmail(email)) {
            return error(400, field + "." + j + ".email", "Does not contain a valid address.");
          }
          String name = address.getValue("name") instanceof String n ? n : "";
          if (name.indexOf(';') >= 0 || name.indexOf(',') >= 0) {
            return error(400, field + "." + j + ".name", "The name cannot contain ';' or ','.");
          }
          if (!seen.add(email.trim().toLowerCase(Locale.ROOT))) {
            return error(400, field, "Each email address in the personalization block should be unique between to, "
                + "cc, and bcc. We found the first duplicate instance of [" + email + "] in the " + field + " field.");
          }
          if (++recipients > MAX_RECIPIENTS) {
            return error(400, "personalizations", "The total number of recipients (to, cc and bcc) of a request "
                + "must be less than or equal to " + MAX_RECIPIENTS + ".");
          }
          out.add(new Delivery(email.trim(), routerId, messageId, echo, null));
        }
      }
    }
    if (!template && !everySubject && Bodies.text(body.getValue("subject")) == null) {
      return error(400, "subject", "The subject is required. You can get around this requirement if you use a "
          + "template with a subject defined or if every personalization has a subject defined.");
    }
    if (!template && !validContent(body.getValue("content"))) {
      return error(400, "content", "Unless a valid template_id is provided, the content parameter is required. There "
          + "must be at least one defined content block.");
    }
    return null;
  }

  private static boolean validContent(Object content) {
    if (!(content instanceof JsonArray blocks) || blocks.isEmpty()) {
      return false;
    }
    for (Object b : blocks) {
      if (!(b instanceof JsonObject o) || Bodies.text(o.getValue("type")) == null
          || Bodies.text(o.getValue("value")) == null) {
        return false;
      }
    }
    return true;
  }

  /** Copies string-valued custom_args into {@code into}; anything else is refused as SendGrid does. */
  private static Reply customArgs(Object value, String field, JsonObject into) {
    if (!(value instanceof JsonObject args)) {
      return error(400, field, "Custom args must be an object of string values.");
    }
    for (String k : args.fieldNames()) {
      if (!(args.getValue(k) instanceof String s)) {
        return error(400, field + "." + k, "Custom args values must be strings.");
      }
      into.put(k, s);
    }
    return null;
  }

  static Reply error(int status, String field, String message) {
    JsonObject e = new JsonObject().put("message", message).put("field", field).put("help", null);
    return Reply.json(status, new JsonObject().put("errors", new JsonArray().add(e)));
  }

  @Override
  public Reply serverError(int status) {
    return error(status, null, status == 503 ? "service unavailable" : "internal error");
  }

  @Override
  public Reply throttled(Profile profile, long nowMs) {
    long reset = nowMs / 1000 + Math.max(1, profile.retryAfterS());
    return error(429, null, "too many requests")
        .withHeader("X-RateLimit-Limit", Long.toString(Math.max(1, Math.round(profile.throttleAfterPerSec()))))
        .withHeader("X-RateLimit-Remaining", "0")
        .withHeader("X-RateLimit-Reset", Long.toString(reset));
  }

  @Override
  public Reply tooLarge() {
    return error(413, null, "The request body is too large: the maximum message size is 30 MB.");
  }
}
