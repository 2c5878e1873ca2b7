package dev.esprouter.sandbox.meta;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.Bodies;
import dev.esprouter.sandbox.core.Credentials;
import dev.esprouter.sandbox.core.Delivery;
import dev.esprouter.sandbox.core.Profile;
import dev.esprouter.sandbox.core.BaseDialect;
import dev.esprouter.sandbox.core.Reply;
import dev.esprouter.sandbox.core.SendPipeline;
import dev.esprouter.sandbox.core.WebhookSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * WhatsApp Cloud API ({@code POST /<version>/<phone-number-id>/messages}, PROVIDERS.md § 5): a
 * Bearer access token, one recipient a call, {@code messaging_product: whatsapp}, text or template
 * messages; 200 with {@code contacts} and {@code messages[0].id} (a wamid); errors in the Graph
 * API shape {@code {"error":{message,type,code,error_data,fbtrace_id}}}, mostly HTTP 400, so a
 * client must read {@code code}: throughput above the limit is 400 with code 130429.
 * {@code biz_opaque_callback_data} comes back in every status webhook. Template management
 * ({@code /<version>/<waba-id>/message_templates}) and the checks of template sends are
 * {@link TemplateStore}'s.
 */
public final class MetaDialect extends BaseDialect {

  private static final Set<String> MEDIA_TYPES = Set.of("image", "document", "audio", "video", "sticker",
      "location", "contacts", "interactive", "reaction");


  private final TemplateStore templates;

  public MetaDialect(Credentials credentials, MetaWebhooks webhooks, String webhookBase, WebhookSettings settings) {
    super(ProviderName.META, 4L * 1024 * 1024, credentials, webhooks);
    this.templates = new TemplateStore(new TemplateWebhooks(webhookBase, settings));
  }

  @Override
  public void mount(Router router, SendPipeline pipeline) {
    router.postWithRegex("/(v\\d+\\.\\d+)/([^/]+)/messages").handler(ctx -> send(ctx, pipeline));
    templates.webhooksWhen(() -> pipeline.profile().webhooks());
    new TemplateRoutes(templates, credentials).mount(router, pipeline);
  }

  @Override
  public Runnable ownSettings(JsonObject patch) {
    if (!patch.containsKey("template_review")) {
      return () -> { };
    }
    Runnable apply = templates.reviewChange(patch.getValue("template_review"));
    patch.remove("template_review");
    return apply;
  }

  @Override
  public JsonObject withOwnSettings(JsonObject profile) {
    return profile.put("template_review", templates.reviewJson());
  }

  @Override
  public void mountControl(Router router, String base) {
    TemplateRoutes.mountControl(router, base, templates);
  }

  @Override
  public void reset() {
    templates.reset();
  }

  private void send(RoutingContext ctx, SendPipeline pipeline) {
    String phoneNumberId = ctx.pathParam("param1");
    String token = Credentials.bearer(ctx.request().getHeader("Authorization"));
    if (token == null || !credentials.accepts("META_ACCESS_TOKEN", token)) {
      pipeline.refuse(ctx, error(401, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190,
          null));
      return;
    }
    if (!phoneNumberId.matches("\\d+") || !credentials.accepts("META_PHONE_NUMBER_ID", phoneNumberId)) {
      pipeline.refuse(ctx, error(400, "Unsupported post request. Object with ID '" + phoneNumberId + "' does not "
          + "exist, cannot be loaded due to missing permissions, or does not support this operation.",
          "GraphMethodException", 100, null));
      return;
    }
    JsonObject body = Bodies.object(ctx.body().buffer());
    if (body == null) {
      pipeline.refuse(ctx, invalidParameter("(#100) The request body is not a JSON object."));
      return;
    }
    Reply invalid = check(body);
    if (invalid == null && "template".equals(body.getString("type"))) {
      invalid = templates.checkSend(body.getJsonObject("template"));
    }
    if (invalid != null) {
      pipeline.refuse(ctx, invalid);
      return;
    }
    String to = body.getString("to");
    String waId = to.replaceAll("[^0-9]", "");
    String wamid = "wamid." + pipeline.ids().base64Id();
    String routerId = Bodies.text(body.getValue("biz_opaque_callback_data"));
    JsonObject echo = routerId == null ? null : new JsonObject().put("biz_opaque_callback_data", routerId);
    JsonObject message = new JsonObject().put("id", wamid);
    if ("template".equals(body.getString("type"))) {
      message.put("message_status", "accepted");
      templates.recordSend(body.getJsonObject("template"));
    }
    JsonObject answer = new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("contacts", new JsonArray().add(new JsonObject().put("input", to).put("wa_id", waId)))
        .put("messages", new JsonArray().add(message));
    pipeline.accept(ctx, List.of(new Delivery(waId, routerId, wamid, echo, phoneNumberId)), 0,
        Reply.json(200, answer));
  }

  private static Reply check(JsonObject body) {
    if (!"whatsapp".equals(body.getValue("messaging_product"))) {
      return invalidParameter("(#100) The parameter messaging_product is required.");
    }
    String to = Bodies.text(body.getValue("to"));
    if (to == null) {
      return invalidParameter("(#100) The parameter to is required.");
    }
    if (!to.matches("\\+?[0-9][0-9 ()-]{5,20}")) {
      return error(400, "(#131009) Parameter value is not valid", "OAuthException", 131009,
          "The phone number " + to + " is not a valid WhatsApp number.");
    }
    String type = body.getString("type", "text");
    switch (type) {
      case "text" -> {
        JsonObject text = body.getValue("text") instanceof JsonObject t ? t : null;
        String value = text == null ? null : Bodies.text(text.getValue("body"));
        if (value == null) {
          return invalidParameter("(#100) The parameter text['body'] is required.");
        }
        if (value.length() > 4096) {
          return invalidParameter("(#100) Param text['body'] must be at most 4096 characters long.");
        }
      }
      case "template" -> {
        JsonObject t = body.getValue("template") instanceof JsonObject o ? o : null;
        if (t == null || Bodies.text(t.getValue("name")) == null) {
          return invalidParameter("(#100) The parameter template['name'] is required.");
        }
        JsonObject lang = t.getValue("language") instanceof JsonObject l ? l : null;
        if (lang == null || Bodies.text(lang.getValue("code")) == null) {
          return invalidParameter("(#100) The parameter template['language']['code'] is required.");
        }
      }
      default -> {
        if (!MEDIA_TYPES.contains(type) || !(body.getValue(type) instanceof JsonObject)) {
          return invalidParameter("(#100) Param type must be one of {TEXT, TEMPLATE, "
              + String.join(", ", MEDIA_TYPES).toUpperCase(Locale.ROOT) + "} with its object.");
        }
      }
    }
    return null;
  }

  private static Reply invalidParameter(String message) {
    return error(400, message, "OAuthException", 100, null);
  }

  static Reply error(int status, String message, String type, int code, String details) {
    JsonObject e = new JsonObject().put("message", message).put("type", type).put("code", code);
    if (details != null) {
      e.put("error_data", new JsonObject().put("messaging_product", "whatsapp").put("details", details));
    }
    e.put("fbtrace_id", "ASandboxTrace" + Long.toHexString(System.nanoTime()));
    return Reply.json(status, new JsonObject().put("error", e));
  }

  @Override
  public Reply serverError(int status) {
    return status == 503
        ? error(503, "(#131016) Service unavailable", "OAuthException", 131016, "A service is temporarily unavailable.")
        : error(status, "(#131000) Something went wrong", "OAuthException", 131000,
            "Message failed to send because of an unknown error.");
  }

  /** Meta's throughput error: HTTP 400, code 130429, no retry header; slow down. */
  @Override
  public Reply throttled(Profile profile, long nowMs) {
    return error(400, "(#130429) Rate limit hit", "OAuthException", 130429,
        "Cloud API message throughput has been reached.");
  }

  @Override
  public Reply tooLarge() {
    return error(413, "(#100) The request is too large.", "OAuthException", 100, null);
  }
}
