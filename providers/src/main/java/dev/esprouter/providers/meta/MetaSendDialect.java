package dev.esprouter.providers.meta;

import dev.esprouter.common.Content;
import dev.esprouter.common.InlineTemplate;
import dev.esprouter.common.Language;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Recipient;
import dev.esprouter.common.SendChunk;
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
import java.util.TreeMap;

/**
 * WhatsApp Cloud API (PROVIDERS.md § 5): one message a call. A {@code template} chunk sends the
 * Meta-approved template in the content's language (Meta's code, {@code pt_BR}) with body
 * parameters {@code data["1"], data["2"], …} and header and button parameters as
 * {@link MetaTemplateParams} names them; otherwise a text message rendered for the recipient. The router's id rides in {@code biz_opaque_callback_data};
 * {@code messages[0].id} (wamid) is the provider id.
 */
public final class MetaSendDialect implements SendDialect {

  private final String accessToken;
  private final String path;

  public MetaSendDialect(String accessToken, String phoneNumberId, String apiVersion) {
    this.accessToken = accessToken;
    this.path = "/" + apiVersion + "/" + phoneNumberId + "/messages";
  }

  @Override
  public ProviderName provider() {
    return ProviderName.META;
  }

  @Override
  public int maxRecipientsPerCall() {
    return 1;
  }

  @Override
  public List<ProviderCall> calls(SendChunk chunk, List<Recipient> recipients) {
    List<ProviderCall> calls = new ArrayList<>(recipients.size());
    Map<String, String> headers = Map.of("Authorization", "Bearer " + accessToken, "Content-Type", "application/json");
    for (Recipient r : recipients) {
      calls.add(new ProviderCall(path, headers, message(chunk.content(), r).toBuffer(), List.of(r)));
    }
    return calls;
  }

  static JsonObject message(Content c, Recipient r) {
    String to = r.to().startsWith("+") ? r.to().substring(1) : r.to();
    JsonObject m = new JsonObject()
        .put("messaging_product", "whatsapp")
        .put("recipient_type", "individual")
        .put("to", to)
        .put("biz_opaque_callback_data", r.messageId());
    if (c.template() != null) {
      return m.put("type", "template").put("template", template(c, r.data()));
    }
    return m.put("type", "text").put("text", new JsonObject().put("body", InlineTemplate.render(c.text(), r.data(), false)));
  }

  /**
   * The {@code template} object of a template send for one recipient's {@code data}: the name, the
   * language as Meta's code ({@link Language#toMeta}, {@code en_US} when the content names none) and
   * the components whose parameters the data gives ({@link MetaTemplateParams}). Public so a
   * template preview shows exactly this.
   */
  public static JsonObject template(Content c, JsonObject data) {
    // Positional parameters {{1}}, {{2}}, … come from data "1", "2", … in numeric order.
    Map<Integer, String> body = new TreeMap<>();
    Map<Integer, String> buttons = new TreeMap<>();
    JsonObject header = null;
    if (data != null) {
      for (Map.Entry<String, Object> e : data) {
        String key = e.getKey();
        String value = e.getValue() == null ? null : String.valueOf(e.getValue());
        if (value == null) {
          continue;
        }
        Integer position = MetaTemplateParams.bodyPosition(key);
        Integer button = MetaTemplateParams.buttonIndex(key);
        String media = MetaTemplateParams.headerMediaOf(key);
        if (position != null) {
          body.put(position, value);
        } else if (button != null) {
          buttons.put(button, value);
        } else if (key.equals(MetaTemplateParams.HEADER_TEXT)) {
          header = new JsonObject().put("type", "text").put("text", value);
        } else if (media != null) {
          header = new JsonObject().put("type", media).put(media, new JsonObject().put("link", value));
        }
        // Other keys are not template parameters (named data for other channels).
      }
    }
    JsonArray components = new JsonArray();
    if (header != null) {
      components.add(new JsonObject().put("type", "header").put("parameters", new JsonArray().add(header)));
    }
    if (!body.isEmpty()) {
      JsonArray params = new JsonArray();
      body.values().forEach(v -> params.add(new JsonObject().put("type", "text").put("text", v)));
      components.add(new JsonObject().put("type", "body").put("parameters", params));
    }
    buttons.forEach((index, v) -> components.add(new JsonObject().put("type", "button").put("sub_type", "url")
        .put("index", Integer.toString(index))
        .put("parameters", new JsonArray().add(new JsonObject().put("type", "text").put("text", v)))));
    JsonObject template = new JsonObject()
        .put("name", c.template())
        .put("language", new JsonObject().put("code", c.locale() == null ? "en_US" : Language.toMeta(c.locale())));
    if (!components.isEmpty()) {
      template.put("components", components);
    }
    return template;
  }

  @Override
  public CallResult classify(ProviderCall call, ProviderResponse response) {
    Recipient r = call.recipients().get(0);
    JsonObject body = response.jsonObject();
    int s = response.status();
    if (s == 200) {
      JsonArray messages = body.getJsonArray("messages", new JsonArray());
      String id = messages.isEmpty() ? null : messages.getJsonObject(0).getString("id");
      return new CallResult(SendOutcome.ACCEPTED, null, List.of(RecipientOutcome.accepted(r, id)), null);
    }
    JsonObject error = body.getJsonObject("error", new JsonObject());
    int code = error.getInteger("code", -1);
    String details = error.getJsonObject("error_data", new JsonObject()).getString("details");
    String reason = "meta " + s + " code " + code + ": " + error.getString("message", response.bodySnippet())
        + (details == null ? "" : " (" + details + ")");
    SendOutcome outcome = code >= 0 ? errorCode(code) : byStatus(s);
    return CallResult.all(call.recipients(), outcome, null, reason);
  }

  /** PROVIDERS.md § 5.2 error code table. */
  static SendOutcome errorCode(int code) {
    if (code >= 200 && code <= 299) {
      return SendOutcome.CONFIG;
    }
    return switch (code) {
      case 130429, 131056, 4, 80007, 131048 -> SendOutcome.THROTTLED;
      case 131000, 131016, 2, 133004 -> SendOutcome.TRANSIENT;
      case 190, 10, 133010, 131031, 131042, 368 -> SendOutcome.CONFIG;
      default -> SendOutcome.REJECTED;
    };
  }

  private static SendOutcome byStatus(int s) {
    if (s == 429) {
      return SendOutcome.THROTTLED;
    }
    if (s == 401 || s == 403) {
      return SendOutcome.CONFIG;
    }
    return s >= 400 && s < 500 ? SendOutcome.REJECTED : SendOutcome.TRANSIENT;
  }
}
