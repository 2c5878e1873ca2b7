package dev.esprouter.ingress.templates;

import dev.esprouter.common.Channel;
import dev.esprouter.common.Language;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One tenant's registry as a process holds it (immutable): its templates by channel and name, each
 * name's languages in the order they were created (the first is the last fallback), and the tenant's
 * registry settings.
 *
 * @param defaultLanguage             the tenant's {@code default_language}, canonical, or null
 * @param unregisteredWhatsAppAllowed {@code whatsapp_unregistered_templates = allow}: a WhatsApp send
 *                                    may name a template the registry does not know (Meta checks it)
 */
public record TenantTemplates(String defaultLanguage, boolean unregisteredWhatsAppAllowed,
                              Map<String, List<Template>> byName) {

  static TenantTemplates of(String defaultLanguage, boolean allowUnregistered, List<Template> templates) {
    Map<String, List<Template>> byName = new HashMap<>();
    for (Template t : templates) {
      byName.computeIfAbsent(key(t.channel(), t.name()), k -> new ArrayList<>()).add(t);
    }
    byName.replaceAll((k, v) -> List.copyOf(v));
    return new TenantTemplates(defaultLanguage, allowUnregistered, Map.copyOf(byName));
  }

  TenantTemplates withSettings(String defaultLanguage, boolean allowUnregistered) {
    return new TenantTemplates(defaultLanguage, allowUnregistered, byName);
  }

  /** Every language of a template name, oldest first; empty when the registry does not know it. */
  public List<Template> family(Channel channel, String name) {
    return byName.getOrDefault(key(channel, name), List.of());
  }

  /** The template of exactly this name and language, or null. */
  public Template variant(Channel channel, String name, String language) {
    for (Template t : family(channel, name)) {
      if (t.language().equals(language)) {
        return t;
      }
    }
    return null;
  }

  /**
   * The language a send in {@code requested} gets (docs/TEMPLATES.md § Languages): the requested one,
   * then its shorter forms ({@code pt-BR} → {@code pt}), then the tenant's default language and its
   * shorter forms, then the template's first language. Null only for an unknown name.
   */
  public Template resolve(Channel channel, String name, String requested) {
    List<Template> family = family(channel, name);
    if (family.isEmpty()) {
      return null;
    }
    for (String candidate : Language.fallbacks(requested, defaultLanguage)) {
      for (Template t : family) {
        if (t.language().equals(candidate)) {
          return t;
        }
      }
    }
    return family.get(0);
  }

  private static String key(Channel channel, String name) {
    return channel.wire() + ":" + name;
  }
}
