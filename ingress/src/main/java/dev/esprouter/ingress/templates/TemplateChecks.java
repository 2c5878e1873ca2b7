package dev.esprouter.ingress.templates;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Content;
import dev.esprouter.common.Language;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The accept-time check of a send's template, the one entry point for every way ingress queues
 * content ({@code /v1/messages}, {@code /v1/batches}, campaigns): one registry lookup per request
 * (cached, {@link TemplateRegistry}), never one per recipient.
 *
 * <pre>{@code
 * checks.prepare(tenantId, channel, content)            // once per request or campaign
 *     .map(use -> {                                      // fails with TemplateRefusal: 400, nothing queued
 *       ApiError bad = use.problem(recipient.data(), "recipients[3].data");   // per recipient: lookups only
 *       JsonObject data = use.withDefaults(recipient.data());
 *       ... queue use.content() (its locale is the language used) ...
 *     });
 * }</pre>
 *
 * <p>A content naming a template is looked up in the tenant's registry first, with the language
 * fallback of {@link TenantTemplates#resolve}. Not found: an email template is looked up in
 * {@code ESP_TEMPLATES_DIR}; a WhatsApp one goes as named when the tenant's
 * {@code whatsapp_unregistered_templates} is {@code allow} (the default); otherwise
 * {@code 400 unknown_template}. A WhatsApp template must be {@code approved}
 * ({@code 400 template_not_approved} says its state and Meta's reason).
 */
public final class TemplateChecks {

  /** The instance-wide email templates ({@code ESP_TEMPLATES_DIR}): the content expanded, or a {@link TemplateRefusal}. */
  @FunctionalInterface
  public interface Folder {
    Content expand(Content content);
  }

  private final TemplateRegistry registry;
  private final Folder emailFolder;

  public TemplateChecks(TemplateRegistry registry, Folder emailFolder) {
    this.registry = registry;
    this.emailFolder = emailFolder;
  }

  public TemplateRegistry registry() {
    return registry;
  }

  /** Looks the content's template up; fails with a {@link TemplateRefusal} when it cannot be sent. */
  public Future<TemplateUse> prepare(String tenantId, Channel channel, Content given) {
    Content content;
    try {
      content = given.locale() == null ? given : given.withLocale(Language.canonical(given.locale()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(TemplateRefusal.of("invalid_field", "locale", e.getMessage()));
    }
    if (content.template() == null) {
      return Future.succeededFuture(new TemplateUse(TemplateUse.Kind.INLINE, content, null, Set.of(),
          new JsonObject()));
    }
    return registry.of(tenantId).map(registry -> use(registry, channel, content));
  }

  /** {@link #prepare} and the check of one recipient's data (a single message; a campaign's first recipient). */
  public Future<TemplateUse> check(String tenantId, Channel channel, Content content, JsonObject data) {
    return prepare(tenantId, channel, content).map(use -> {
      var problem = use.problem(data, "data");
      if (problem != null) {
        throw new TemplateRefusal(problem);
      }
      return use;
    });
  }

  private TemplateUse use(TenantTemplates registry, Channel channel, Content c) {
    String requested = c.locale();
    Template t = registry.resolve(channel, c.template(), requested);
    if (t != null) {
      return registered(t, channel, c, false);
    }
    return switch (channel) {
      case EMAIL -> {
        Content expanded = emailFolder.expand(c);
        yield new TemplateUse(TemplateUse.Kind.FOLDER, expanded, null, Set.of(), new JsonObject());
      }
      case WHATSAPP -> {
        if (!registry.unregisteredWhatsAppAllowed()) {
          throw TemplateRefusal.of("unknown_template", "template", "no WhatsApp template named '" + c.template()
              + "' in this tenant's registry, and the tenant does not send unregistered templates "
              + "(whatsapp_unregistered_templates: refuse)");
        }
        // Sent as named; Meta checks it. The language is what goes to Meta (its default en_US when none).
        yield new TemplateUse(TemplateUse.Kind.PASS_THROUGH, c.withLocale(requested == null ? "en-US" : requested),
            null, Set.of(), new JsonObject());
      }
      default -> throw TemplateRefusal.of("unknown_template", "template", "no Telegram template named '" + c.template()
          + "' in this tenant's registry");
    };
  }

  /**
   * The use of a registry template. A {@code preview} renders whatever the template's status and
   * leaves a missing subject empty; a send must be approved and have a subject.
   */
  static TemplateUse registered(Template t, Channel channel, Content c, boolean preview) {
    JsonObject body = t.body();
    switch (channel) {
      case WHATSAPP -> {
        if (!preview && !t.sendable()) {
          throw TemplateRefusal.of("template_not_approved", "template", "WhatsApp template '" + t.name() + "' ("
              + t.language() + ") is " + describe(t) + "; only approved templates can be sent");
        }
        Content content = new Content(null, null, null, null, null, t.name(), t.language());
        return new TemplateUse(TemplateUse.Kind.REGISTRY, content, t,
            WhatsAppShape.of(body.getJsonArray("components")).keys(), new JsonObject());
      }
      case TELEGRAM -> {
        if (c.text() != null) {
          throw TemplateRefusal.of("invalid_field", "text", "give either inline text or a template, not both");
        }
        String text = body.getString("text");
        Content content = new Content(null, null, null, null, text, t.name(), t.language(),
            body.getString("parse_mode"));
        return new TemplateUse(TemplateUse.Kind.REGISTRY, content, t, Placeholders.of("text", text),
            body.getJsonObject("defaults", new JsonObject()));
      }
      default -> {
        if (c.html() != null || c.text() != null) {
          throw TemplateRefusal.of("invalid_field", c.html() != null ? "html" : "text",
              "give either inline html/text or a template, not both");
        }
        JsonObject rendered = body.getJsonObject("rendered");
        String subject = c.subject() != null ? c.subject() : rendered.getString("subject");
        if (subject == null && !preview) {
          throw TemplateRefusal.of("missing_field", "subject", "email template '" + t.name() + "' has no subject, so "
              + "the request must give one");
        }
        Content content = new Content(c.from(), c.replyTo(), subject, rendered.getString("html"),
            rendered.getString("text"), t.name(), t.language());
        return new TemplateUse(TemplateUse.Kind.REGISTRY, content, t,
            Placeholders.of("subject", subject, content.html(), content.text()),
            body.getJsonObject("defaults", new JsonObject()));
      }
    }
  }

  /** A template's state in words, with Meta's reason when it gave one. */
  static String describe(Template t) {
    String state = switch (t.status()) {
      case Template.DRAFT -> "a draft (submit it for Meta's review first)";
      case Template.IN_REVIEW -> "in review at Meta";
      case Template.REJECTED -> "rejected by Meta";
      case Template.PAUSED -> "paused by Meta";
      case Template.DISABLED -> "disabled by Meta";
      default -> t.status();
    };
    return t.reason() == null ? state : state + " (" + t.reason() + ")";
  }
}
