package dev.esprouter.sandbox.sparkpost;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * SparkPost Transmissions ({@code POST /api/v1/transmissions}, PROVIDERS.md § 4): the API key raw
 * in {@code Authorization} or as {@code Basic base64(key:)}; inline {@code recipients[]} (no
 * documented cap) with per-recipient {@code metadata}; 200 with {@code results.id} (the
 * transmission id) and accepted/rejected counts, invalid recipients listed in
 * {@code rcpt_to_errors} while the valid ones go; errors as {@code {"errors":[{message,
 * description,code}]}}; over the sending limit 420 (code 2101), which carries no retry hint.
 * The sandbox takes bodies up to 50 MB (SparkPost's advice; its hard limit is 300 MB).
 */
public final class SparkPostDialect extends BaseDialect {


  public SparkPostDialect(Credentials credentials, SparkPostWebhooks webhooks) {
    super(ProviderName.SPARKPOST, 50L * 1024 * 1024, credentials, webhooks);
  }

  @Override
  public void mount(Router router, SendPipeline pipeline) {
    router.post("/api/v1/transmissions").handler(ctx -> send(ctx, pipeline));
    router.post("/api/v1/transmissions/").handler(ctx -> send(ctx, pipeline));
  }

  /** The API key of a raw or Basic Authorization header, or null. */
  static String apiKey(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String key = colon < 0 ? decoded : decoded.substring(0, colon);
        return key.isBlank() ? null : key;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return h;
  }

  private void send(RoutingContext ctx, SendPipeline pipeline) {
    String key = apiKey(ctx.request().getHeader("Authorization"));
    if (key == null || !credentials.accepts("SPARKPOST_API_KEY", key)) {
      pipeline.refuse(ctx, error(401, "Unauthorized.", null, null));
      return;
    }
    JsonObject body = Bodies.object(ctx.body().buffer());
    if (body == null) {
      pipeline.refuse(ctx, error(400, "invalid data format/type", "Problems parsing request as json", "1300"));
      return;
    }
    Reply invalid = checkContent(body);
    if (invalid != null) {
      pipeline.refuse(ctx, invalid);
      return;
    }
    if (!(body.getValue("recipients") instanceof JsonArray recipients) || recipients.isEmpty()) {
      String why = body.containsKey("recipients") && body.getValue("recipients") instanceof JsonObject
          ? "stored recipient lists (list_id) are not available in the sandbox" : "recipients or list_id required";
      pipeline.refuse(ctx, error(422, "required field is missing", why, "1400"));
      return;
    }
    String transmissionId = pipeline.ids().digits17();
    JsonObject txMeta = body.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
    String campaign = body.getString("campaign_id", "");
    List<Delivery> deliveries = new ArrayList<>();
    JsonArray errors = new JsonArray();
    for (Object r : recipients) {
      String email = email(r);
      if (!Bodies.isEmail(email)) {
        errors.add(new JsonObject().put("message", "invalid data format/type")
            .put("description", "Invalid email address: " + email).put("code", "1300"));
        continue;
      }
      JsonObject rcpt = (JsonObject) r;
      JsonObject meta = txMeta.copy();
      if (rcpt.getValue("metadata") instanceof JsonObject m) {
        meta.mergeIn(m);
      }
      JsonArray tags = rcpt.getValue("tags") instanceof JsonArray t ? t : new JsonArray();
      JsonObject echo = new JsonObject().put("rcpt_meta", meta).put("rcpt_tags", tags).put("campaign_id", campaign)
          .put("message_id", pipeline.ids().base64Id());
      deliveries.add(new Delivery(email.trim(), Bodies.text(meta.getValue("esp_message_id")), transmissionId, echo,
          transmissionId));
    }
    if (deliveries.isEmpty()) {
      pipeline.refuse(ctx, error(422, "invalid data format/type", "At least one valid recipient is required", "1300"));
      return;
    }
    JsonObject results = new JsonObject()
        .put("total_rejected_recipients", errors.size())
        .put("total_accepted_recipients", deliveries.size())
        .put("id", transmissionId);
    JsonObject answer = new JsonObject();
    if (!errors.isEmpty()) {
      results.put("rcpt_to_errors", errors);
      answer.put("errors", new JsonArray().add(new JsonObject()
          .put("message", "transmission created, but with validation errors").put("code", "2000")));
    }
    pipeline.accept(ctx, deliveries, errors.size(), Reply.json(200, answer.put("results", results)));
  }

  private static String email(Object recipient) {
    if (!(recipient instanceof JsonObject r)) {
      return null;
    }
    Object address = r.getValue("address");
    if (address instanceof String s) {
      return Bodies.emailOf(s);
    }
    return address instanceof JsonObject a ? a.getString("email") : null;
  }

  private static Reply checkContent(JsonObject body) {
    if (!(body.getValue("content") instanceof JsonObject content)) {
      return error(422, "required field is missing", "content object or template_id required", "1400");
    }
    if (Bodies.text(content.getValue("template_id")) != null) {
      return null;
    }
    Object from = content.getValue("from");
    String fromEmail = from instanceof JsonObject f ? f.getString("email") : Bodies.emailOf(Bodies.text(from));
    if (!Bodies.isEmail(fromEmail)) {
      return error(422, "required field is missing", "content.from is required", "1400");
    }
    if (Bodies.text(content.getValue("subject")) == null) {
      return error(422, "required field is missing", "content.subject is required", "1400");
    }
    if (Bodies.text(content.getValue("text")) == null && Bodies.text(content.getValue("html")) == null) {
      return error(422, "required field is missing", "At least one of text or html needs to exist in content", "1400");
    }
    return null;
  }

  static Reply error(int status, String message, String description, String code) {
    JsonObject e = new JsonObject().put("message", message);
    if (description != null) {
      e.put("description", description);
    }
    if (code != null) {
      e.put("code", code);
    }
    return Reply.json(status, new JsonObject().put("errors", new JsonArray().add(e)));
  }

  @Override
  public Reply serverError(int status) {
    return error(status, status == 503 ? "Service Unavailable" : "Internal Server Error", null, null);
  }

  /** The transmissions endpoint is not rate limited; sending limits answer 420 and nothing is sent. */
  @Override
  public Reply throttled(Profile profile, long nowMs) {
    return error(420, "Exceed Sending Limit (hourly)", "Sending quota reached; nothing was sent", "2101");
  }

  @Override
  public Reply tooLarge() {
    return error(413, "Request Entity Too Large", null, null);
  }
}
