package dev.esprouter.sandbox.meta;

import dev.esprouter.sandbox.core.ProfileException;
import dev.esprouter.sandbox.core.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The sandbox's message templates, shared by every event loop (all access under this object's
 * lock): created through Meta's API, reviewed after {@code template_review.delay_ms} with the
 * configured outcome, their status changes announced by the signed webhook, and template sends
 * checked against them the way Meta checks (docs/SANDBOX.md § Templates):
 *
 * <ul>
 *   <li>a template it knows by name but not in the requested language, or not approved → 132001;</li>
 *   <li>paused → 132015, disabled → 132016;</li>
 *   <li>a parameter count that differs from the template's → 132000; a header parameter of another
 *       media type → 132012.</li>
 * </ul>
 * A name it was never told about is accepted as if approved at Meta (the templates of tests and
 * demos that predate the registry), unless {@code template_review.unknown_templates} is
 * {@code refuse}, then 132001 as well.
 */
final class TemplateStore {

  /** How the sandbox reviews a created template. */
  record Review(long delayMs, String outcome, String reason, boolean refuseUnknown) {

    static final Review DEFAULT = new Review(1000, "APPROVED", "NONE", false);

    JsonObject toJson() {
      return new JsonObject().put("delay_ms", delayMs).put("outcome", outcome.toLowerCase(Locale.ROOT))
          .put("reason", reason).put("unknown_templates", refuseUnknown ? "refuse" : "accept");
    }
  }

  private static final Set<String> EVENTS = Set.of("APPROVED", "REJECTED", "PAUSED", "DISABLED", "REINSTATED",
      "PENDING", "IN_APPEAL", "FLAGGED", "ARCHIVED");
  private static final long FIRST_ID = 1_689_556_908_129_832L;

  private final Map<String, SandboxTemplate> byId = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final TemplateWebhooks webhooks;
  private BooleanSupplier webhooksOn = () -> true;
  private Review review = Review.DEFAULT;

  TemplateStore(TemplateWebhooks webhooks) {
    this.webhooks = webhooks;
  }

  /** Whether the provider's profile has webhooks on (off: status changes happen but nobody is told). */
  void webhooksWhen(BooleanSupplier on) {
    this.webhooksOn = on;
  }

  // ---- Meta's template management API

  Reply create(Vertx vertx, String waba, JsonObject body) {
    String id = Long.toString(FIRST_ID + ids.incrementAndGet());
    TemplateRules.Checked checked = TemplateRules.check(id, waba, body);
    if (checked.refusal() != null) {
      return checked.refusal();
    }
    SandboxTemplate t = checked.template();
    Review r;
    synchronized (this) {
      for (SandboxTemplate other : byId.values()) {
        if (other.wabaId.equals(waba) && other.name.equals(t.name) && other.language.equals(t.language)) {
          return TemplateRules.invalid(2388024, "Content in this language already exists",
              "There is already " + t.language + " content for template " + t.name
                  + ". Create a new template and try again.");
        }
      }
      byId.put(id, t);
      r = review;
    }
    vertx.setTimer(Math.max(1, r.delayMs()), timer -> decide(vertx, id, r));
    return Reply.json(200, new JsonObject().put("id", id).put("status", "PENDING").put("category", t.category));
  }

  Reply list(String waba, String name, int limit, String after) {
    List<JsonObject> matching = new ArrayList<>();
    synchronized (this) {
      for (SandboxTemplate t : byId.values()) {
        if (t.wabaId.equals(waba) && (name == null || t.name.equals(name))) {
          matching.add(t.toMeta());
        }
      }
    }
    int from = after == null ? 0 : decodeCursor(after);
    int to = Math.min(matching.size(), from + limit);
    JsonArray data = new JsonArray();
    for (int i = from; i < to; i++) {
      data.add(matching.get(i));
    }
    JsonObject paging = new JsonObject().put("cursors", new JsonObject().put("before", cursor(from))
        .put("after", cursor(to)));
    if (to < matching.size()) {
      paging.put("next", "https://graph.facebook.com/" + waba + "/message_templates?after=" + cursor(to));
    }
    return Reply.json(200, new JsonObject().put("data", data).put("paging", paging));
  }

  Reply delete(String waba, String name, String hsmId) {
    synchronized (this) {
      boolean removed = byId.values().removeIf(t -> t.wabaId.equals(waba) && t.name.equals(name)
          && (hsmId == null || t.id.equals(hsmId)));
      if (!removed) {
        return TemplateRules.invalid(0, "Message template not found",
            "No template named " + name + (hsmId == null ? "" : " with id " + hsmId) + " exists.");
      }
    }
    return Reply.json(200, new JsonObject().put("success", true));
  }

  // ---- sends

  /** Meta's refusal of a template send, or null when it may go. */
  Reply checkSend(JsonObject template) {
    String name = template.getString("name");
    JsonObject lang = template.getJsonObject("language");
    String code = lang == null ? null : lang.getString("code");
    SandboxTemplate found = null;
    boolean knownName = false;
    synchronized (this) {
      for (SandboxTemplate t : byId.values()) {
        if (t.name.equals(name)) {
          knownName = true;
          if (t.language.equals(code)) {
            found = t;
          }
        }
      }
      if (!knownName) {
        return review.refuseUnknown() ? notInTranslation(name, code, null) : null;
      }
      if (found == null) {
        return notInTranslation(name, code, null);
      }
      switch (found.status) {
        case "APPROVED" -> {
        }
        case "PAUSED" -> {
          return MetaDialect.error(400, "(#132015) Template is Paused", "OAuthException", 132015,
              "Template " + name + " (" + code + ") is paused because of low quality.");
        }
        case "DISABLED" -> {
          return MetaDialect.error(400, "(#132016) Template is Disabled", "OAuthException", 132016,
              "Template " + name + " (" + code + ") is disabled.");
        }
        default -> {
          return notInTranslation(name, code, found.status);
        }
      }
      return parameters(found, template.getJsonArray("components", new JsonArray()));
    }
  }

  void recordSend(JsonObject template) {
    String name = template.getString("name");
    JsonObject lang = template.getJsonObject("language");
    String code = lang == null ? null : lang.getString("code");
    synchronized (this) {
      for (SandboxTemplate t : byId.values()) {
        if (t.name.equals(name) && t.language.equals(code)) {
          t.sends++;
          t.lastSend = template.copy();
        }
      }
    }
  }

  private static Reply notInTranslation(String name, String code, String status) {
    return MetaDialect.error(400, "(#132001) Template name does not exist in the translation", "OAuthException",
        132001, "template name (" + name + ") does not exist in " + code
            + (status == null ? "" : " (its status is " + status + ", not APPROVED)"));
  }

  /** 132000 when a component's parameter count differs from the template's; 132012 for another header media type. */
  private static Reply parameters(SandboxTemplate t, JsonArray components) {
    int body = 0;
    int header = 0;
    String headerType = null;
    Map<Integer, Integer> buttons = new LinkedHashMap<>();
    for (Object o : components) {
      if (!(o instanceof JsonObject c)) {
        continue;
      }
      JsonArray params = c.getJsonArray("parameters", new JsonArray());
      switch (String.valueOf(c.getString("type")).toLowerCase(Locale.ROOT)) {
        case "body" -> body = params.size();
        case "header" -> {
          header = params.size();
          headerType = params.isEmpty() ? null : params.getJsonObject(0).getString("type");
        }
        case "button" -> {
          int index = Integer.parseInt(String.valueOf(c.getValue("index", "-1")));
          buttons.put(index, params.size());
        }
        default -> {
        }
      }
    }
    if (body != t.bodyParams) {
      return mismatch("body", body, t.bodyParams);
    }
    if (header != t.headerParams) {
      return mismatch("header", header, t.headerParams);
    }
    if (header > 0 && !"TEXT".equals(t.headerFormat)
        && !t.headerFormat.equalsIgnoreCase(String.valueOf(headerType))) {
      return MetaDialect.error(400, "(#132012) Parameter format does not match format in the created template",
          "OAuthException", 132012, "header: Format mismatch, expected " + t.headerFormat + ", received "
              + String.valueOf(headerType).toUpperCase(Locale.ROOT));
    }
    for (int index : t.urlButtonParams) {
      if (buttons.getOrDefault(index, 0) != 1) {
        return mismatch("button " + index, buttons.getOrDefault(index, 0), 1);
      }
    }
    for (Map.Entry<Integer, Integer> b : buttons.entrySet()) {
      if (!t.urlButtonParams.contains(b.getKey())) {
        return mismatch("button " + b.getKey(), b.getValue(), 0);
      }
    }
    return null;
  }

  private static Reply mismatch(String component, int given, int expected) {
    return MetaDialect.error(400, "(#132000) Number of parameters does not match the expected number of params",
        "OAuthException", 132000, component + ": number of localizable_params (" + given
            + ") does not match the expected number of params (" + expected + ")");
  }

  // ---- review and status changes

  private void decide(Vertx vertx, String id, Review r) {
    JsonObject value;
    synchronized (this) {
      SandboxTemplate t = byId.get(id);
      if (t == null || !"PENDING".equals(t.status)) {
        return;
      }
      t.status = r.outcome();
      t.rejectedReason = "REJECTED".equals(r.outcome()) ? r.reason() : "NONE";
      value = statusValue(t, t.status, t.rejectedReason);
    }
    announce(vertx, id, value);
  }

  /**
   * Changes a template's status the way Meta does after review or on quality feedback
   * ({@code PAUSED}, {@code DISABLED}, {@code REINSTATED}, …) and announces it; null for an unknown id.
   */
  JsonObject changeStatus(Vertx vertx, String id, String event, String reason) {
    String e = event == null ? null : event.toUpperCase(Locale.ROOT);
    if (e == null || !EVENTS.contains(e)) {
      throw new ProfileException("event", "must be one of " + String.join(", ", EVENTS));
    }
    JsonObject value;
    JsonObject record;
    synchronized (this) {
      SandboxTemplate t = byId.get(id);
      if (t == null) {
        return null;
      }
      t.status = switch (e) {
        case "REINSTATED" -> "APPROVED";
        case "IN_APPEAL" -> "PENDING";
        case "FLAGGED" -> t.status;
        default -> e;
      };
      String why = reason != null ? reason : "NONE";
      if ("REJECTED".equals(e)) {
        t.rejectedReason = why;
      }
      value = statusValue(t, e, why);
      if ("PAUSED".equals(e)) {
        value.put("other_info", new JsonObject().put("title", "FIRST_PAUSE").put("description",
            reason != null ? reason : "Your WhatsApp message template has been paused because of low quality."));
      }
      record = t.toRecord();
    }
    announce(vertx, id, value);
    return record;
  }

  private static JsonObject statusValue(SandboxTemplate t, String event, String reason) {
    JsonObject v = new JsonObject()
        .put("event", event)
        .put("message_template_id", Long.parseLong(t.id))
        .put("message_template_name", t.name)
        .put("message_template_language", t.language)
        .put("reason", reason)
        .put("message_template_category", t.category);
    if ("DISABLED".equals(event)) {
      v.put("disable_info", new JsonObject().put("disable_date", System.currentTimeMillis() / 1000));
    }
    return v;
  }

  private void announce(Vertx vertx, String id, JsonObject value) {
    String waba;
    synchronized (this) {
      SandboxTemplate t = byId.get(id);
      waba = t == null ? null : t.wabaId;
    }
    if (waba != null && webhooksOn.getAsBoolean()) {
      webhooks.post(vertx, waba, value);
    }
  }

  // ---- control

  /** Validates a {@code template_review} change; the returned action applies it. */
  Runnable reviewChange(Object raw) {
    if (!(raw instanceof JsonObject patch)) {
      throw new ProfileException("template_review", "must be an object");
    }
    Review current;
    synchronized (this) {
      current = review;
    }
    long delay = current.delayMs();
    String outcome = current.outcome();
    String reason = current.reason();
    boolean refuseUnknown = current.refuseUnknown();
    for (String k : patch.fieldNames()) {
      Object v = patch.getValue(k);
      switch (k) {
        case "delay_ms" -> {
          if (!(v instanceof Number n) || n.longValue() < 0 || n.longValue() > 3_600_000
              || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ProfileException("template_review.delay_ms", "must be a whole number from 0 to 3600000");
          }
          delay = n.longValue();
        }
        case "outcome" -> {
          if (!(v instanceof String s) || !Set.of("approved", "rejected").contains(s.toLowerCase(Locale.ROOT))) {
            throw new ProfileException("template_review.outcome", "must be approved or rejected");
          }
          outcome = s.toUpperCase(Locale.ROOT);
        }
        case "reason" -> {
          if (!(v instanceof String s) || s.isBlank() || s.length() > 200) {
            throw new ProfileException("template_review.reason", "must be a short text, e.g. INVALID_FORMAT");
          }
          reason = s;
        }
        case "unknown_templates" -> {
          if (!"accept".equals(v) && !"refuse".equals(v)) {
            throw new ProfileException("template_review.unknown_templates", "must be accept or refuse");
          }
          refuseUnknown = "refuse".equals(v);
        }
        default -> throw new ProfileException("template_review." + k,
            "is not known (use delay_ms, outcome, reason, unknown_templates)");
      }
    }
    Review next = new Review(delay, outcome, "APPROVED".equals(outcome) && !patch.containsKey("reason") ? "NONE"
        : reason, refuseUnknown);
    return () -> {
      synchronized (this) {
        review = next;
      }
    };
  }

  synchronized JsonObject reviewJson() {
    return review.toJson();
  }

  JsonObject recordJson() {
    JsonArray list = new JsonArray();
    synchronized (this) {
      byId.values().forEach(t -> list.add(t.toRecord()));
    }
    return new JsonObject().put("templates", list).put("template_review", reviewJson())
        .put("webhooks_sent", webhooks.sent()).put("webhooks_failed", webhooks.failed());
  }

  synchronized void reset() {
    byId.clear();
    review = Review.DEFAULT;
  }

  private static String cursor(int index) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(index)
        .getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeCursor(String s) {
    try {
      return Math.max(0, Integer.parseInt(new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }
}
