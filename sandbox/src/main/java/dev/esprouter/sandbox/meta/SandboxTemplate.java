package dev.esprouter.sandbox.meta;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * One message template in the sandbox's WhatsApp Business Account: what was created, its review
 * status, and what a send of it must carry (counted from its components at creation): body
 * parameters, the header's format and parameter, and the URL buttons that take a parameter.
 * Changed only under the {@link TemplateStore}'s lock.
 */
final class SandboxTemplate {

  final String id;
  final String wabaId;
  final String name;
  final String language;
  final String category;
  final JsonArray components;
  final int bodyParams;
  /** TEXT, IMAGE, VIDEO, DOCUMENT, or null without a header. */
  final String headerFormat;
  final int headerParams;
  final Set<Integer> urlButtonParams;
  String status = "PENDING";
  String rejectedReason = "NONE";
  long sends;
  JsonObject lastSend;

  SandboxTemplate(String id, String wabaId, String name, String language, String category, JsonArray components,
                  int bodyParams, String headerFormat, int headerParams, Set<Integer> urlButtonParams) {
    this.id = id;
    this.wabaId = wabaId;
    this.name = name;
    this.language = language;
    this.category = category;
    this.components = components;
    this.bodyParams = bodyParams;
    this.headerFormat = headerFormat;
    this.headerParams = headerParams;
    this.urlButtonParams = Set.copyOf(urlButtonParams);
  }

  /** As Meta's list shows a template (the fields the router asks for). */
  JsonObject toMeta() {
    JsonObject o = new JsonObject().put("name", name).put("components", components.copy()).put("language", language)
        .put("status", status).put("category", category).put("id", id);
    if ("REJECTED".equals(status)) {
      o.put("rejected_reason", rejectedReason);
    }
    return o;
  }

  /** As the sandbox's own control route shows it: Meta's view plus what was sent with it. */
  JsonObject toRecord() {
    return toMeta().put("waba_id", wabaId).put("rejected_reason", rejectedReason).put("sends", sends)
        .put("last_send", lastSend);
  }
}
