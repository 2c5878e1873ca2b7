package dev.esprouter.providers.meta;

import dev.esprouter.common.Language;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Meta's template management API in the WhatsApp Business Account ({@code /<version>/<waba-id>/
 * message_templates}), as pure request builders and response readers (docs/TEMPLATES.md § Meta):
 *
 * <ul>
 *   <li>create: {@code POST} {@code {"name","language","category","components"}} → 200
 *       {@code {"id","status","category"}} (status {@code PENDING}, sometimes {@code APPROVED} or
 *       {@code REJECTED} at once);</li>
 *   <li>list: {@code GET ?fields=…&limit=&after=} → {@code {"data":[{id,name,language,status,category,
 *       components,rejected_reason}],"paging":{"cursors":{"before","after"},"next"}}};</li>
 *   <li>delete: {@code DELETE ?name=&hsm_id=} → {@code {"success":true}} (with {@code hsm_id} only that
 *       language's template goes);</li>
 *   <li>errors in the Graph shape {@code {"error":{message,type,code,error_subcode,error_user_title,
 *       error_user_msg,fbtrace_id}}}.</li>
 * </ul>
 * Languages cross this boundary in Meta's form ({@code pt_BR}) and are canonical BCP 47 inside.
 */
public final class MetaTemplateApi {

  static final String FIELDS = "id,name,language,status,category,components,rejected_reason";

  /** One template as Meta holds it (language canonical; status, category as Meta spells them). */
  public record MetaTemplate(String id, String name, String language, String status, String category,
                             JsonArray components, String rejectedReason) {
  }

  /** One page of the list, and the cursor of the next one (null on the last page). */
  public record Page(List<MetaTemplate> templates, String after) {
  }

  /** A Graph API error: HTTP status, code, subcode, and the most helpful sentence Meta gave. */
  public record MetaError(int status, int code, int subcode, String message) {

    @Override
    public String toString() {
      return "meta " + status + " code " + code + (subcode > 0 ? "/" + subcode : "") + ": " + message;
    }
  }

  private MetaTemplateApi() {
  }

  public static String path(String version, String wabaId) {
    return "/" + version + "/" + wabaId + "/message_templates";
  }

  public static String listPath(String version, String wabaId, String after) {
    return path(version, wabaId) + "?fields=" + FIELDS + "&limit=100" + (after == null ? "" : "&after=" + enc(after));
  }

  public static String deletePath(String version, String wabaId, String name, String metaId) {
    return path(version, wabaId) + "?name=" + enc(name) + (metaId == null ? "" : "&hsm_id=" + enc(metaId));
  }

  /**
   * The create body: the registry's lower-case component types and formats become Meta's upper-case
   * ones (its documented form), buttons' types too; texts and examples go as they are.
   */
  public static Buffer createBody(String name, String language, String category, JsonArray components) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < components.size(); i++) {
      JsonObject c = components.getJsonObject(i).copy();
      upper(c, "type");
      upper(c, "format");
      if (c.getValue("buttons") instanceof JsonArray buttons) {
        for (int b = 0; b < buttons.size(); b++) {
          upper(buttons.getJsonObject(b), "type");
        }
      }
      out.add(c);
    }
    return new JsonObject()
        .put("name", name)
        .put("language", Language.toMeta(language))
        .put("category", category.toUpperCase(Locale.ROOT))
        .put("components", out)
        .toBuffer();
  }

  /** The created template's id and status from a 200 of create. */
  public static MetaTemplate created(String name, String language, Buffer body) {
    JsonObject o = object(body);
    String id = o.getValue("id") == null ? null : String.valueOf(o.getValue("id"));
    if (id == null) {
      throw new IllegalArgumentException("Meta's answer has no template id: " + snippet(body));
    }
    return new MetaTemplate(id, name, language, o.getString("status", "PENDING"), o.getString("category"), null,
        null);
  }

  /** One page of a list answer; templates whose language is not a valid tag are skipped. */
  public static Page page(Buffer body) {
    JsonObject o = object(body);
    JsonArray data = o.getJsonArray("data", new JsonArray());
    List<MetaTemplate> list = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      JsonObject t = data.getJsonObject(i);
      String language = language(t.getString("language"));
      Object id = t.getValue("id");
      if (language == null || id == null || t.getString("name") == null) {
        continue;
      }
      list.add(new MetaTemplate(String.valueOf(id), t.getString("name"), language, t.getString("status"),
          t.getString("category"), t.getJsonArray("components", new JsonArray()), t.getString("rejected_reason")));
    }
    JsonObject paging = o.getJsonObject("paging", new JsonObject());
    String after = paging.getString("next") == null ? null
        : paging.getJsonObject("cursors", new JsonObject()).getString("after");
    return new Page(list, after);
  }

  /** The Graph error of a non-2xx answer (a body that is not one still gives status and a snippet). */
  public static MetaError error(int status, Buffer body) {
    JsonObject e;
    try {
      e = object(body).getJsonObject("error");
    } catch (RuntimeException notJson) {
      e = null;
    }
    if (e == null) {
      return new MetaError(status, -1, 0, snippet(body));
    }
    String user = e.getString("error_user_msg");
    String message = e.getString("message", "");
    return new MetaError(status, e.getInteger("code", -1), e.getInteger("error_subcode", 0),
        user == null || user.isBlank() ? message : message + " — " + user);
  }

  /** Meta's language code in canonical form, or null when it is not a valid tag. */
  public static String language(String metaCode) {
    try {
      return metaCode == null ? null : Language.canonical(metaCode);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void upper(JsonObject o, String key) {
    if (o.getValue(key) instanceof String s) {
      o.put(key, s.toUpperCase(Locale.ROOT));
    }
  }

  private static JsonObject object(Buffer body) {
    try {
      return new JsonObject(body);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("Meta's answer is not JSON: " + snippet(body), e);
    }
  }

  private static String snippet(Buffer body) {
    String s = body == null ? "" : body.toString(StandardCharsets.UTF_8);
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
