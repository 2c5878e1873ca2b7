package dev.esprouter.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place language tags are read and written. Requests, templates and tenant settings may
 * name a language the BCP 47 way ({@code pt-BR}, {@code en}) or Meta's way ({@code pt_BR},
 * {@code en_US}); both become the canonical BCP 47 form (language lower-case, script title-case,
 * region upper-case: {@code pt-BR}, {@code zh-Hant-TW}), which is what is stored, compared and
 * shown. Each provider gets the form it expects from here: Meta its own codes ({@link #toMeta}).
 *
 * <p>Accepted: a language known to the JDK's locale data (ISO 639, two or three letters), an
 * optional four-letter script and an optional region (ISO 3166 letters or a UN M.49 number such as
 * {@code 419}). Variants and extensions are refused: no provider here uses them.
 */
public final class Language {

  private static final Pattern TAG = Pattern.compile(
      "([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?");
  private static final Set<String> REGIONS = Set.of(Locale.getISOCountries());

  private Language() {
  }

  /**
   * The canonical form of {@code tag}, or an {@link IllegalArgumentException} whose message says
   * what is wrong (for a 400 naming the field).
   */
  public static String canonical(String tag) {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("is empty; give a language like en, pt-BR or pt_BR");
    }
    Matcher m = TAG.matcher(tag.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + shorten(tag) + "' is not a language tag like en, pt-BR or pt_BR");
    }
    String language = m.group(1).toLowerCase(Locale.ROOT);
    if (!known(language)) {
      throw new IllegalArgumentException("'" + shorten(tag) + "': '" + language + "' is not a known language");
    }
    StringBuilder out = new StringBuilder(language);
    if (m.group(2) != null) {
      String script = m.group(2);
      out.append('-').append(Character.toUpperCase(script.charAt(0)))
          .append(script.substring(1).toLowerCase(Locale.ROOT));
    }
    if (m.group(3) != null) {
      String region = m.group(3).toUpperCase(Locale.ROOT);
      if (Character.isLetter(region.charAt(0)) && !REGIONS.contains(region)) {
        throw new IllegalArgumentException("'" + shorten(tag) + "': '" + region + "' is not a known region");
      }
      out.append('-').append(region);
    }
    return out.toString();
  }

  /** The canonical form, or null for null; throws like {@link #canonical} for a bad tag. */
  public static String canonicalOrNull(String tag) {
    return tag == null ? null : canonical(tag);
  }

  /**
   * Meta's language code for a canonical tag: language and region joined by an underscore
   * ({@code pt-BR} → {@code pt_BR}, {@code en} → {@code en}); Meta has no script subtags, so a
   * script is dropped. Null stays null.
   */
  public static String toMeta(String canonical) {
    if (canonical == null) {
      return null;
    }
    String[] parts = canonical.split("-");
    String region = null;
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].length() != 4) {
        region = parts[i];
      }
    }
    return region == null ? parts[0] : parts[0] + "_" + region;
  }

  /**
   * The tag and its shorter forms, longest first, the way RFC 4647 lookup truncates:
   * {@code zh-Hant-TW} → {@code zh-Hant-TW}, {@code zh-Hant}, {@code zh}.
   */
  public static List<String> truncations(String canonical) {
    List<String> out = new ArrayList<>(3);
    String t = canonical;
    while (t != null) {
      out.add(t);
      int dash = t.lastIndexOf('-');
      t = dash < 0 ? null : t.substring(0, dash);
    }
    return out;
  }

  /**
   * Where a template is looked for, in order, without repeats: the requested language and its
   * truncations ({@code pt-BR}, {@code pt}), then the tenant's default language and its
   * truncations. The caller ends with the template's first language. Either may be null.
   */
  public static List<String> fallbacks(String requested, String tenantDefault) {
    List<String> out = new ArrayList<>(4);
    for (String start : new String[] {requested, tenantDefault}) {
      if (start != null) {
        for (String t : truncations(start)) {
          if (!out.contains(t)) {
            out.add(t);
          }
        }
      }
    }
    return out;
  }

  private static boolean known(String language) {
    String name = Locale.forLanguageTag(language).getDisplayLanguage(Locale.ENGLISH);
    return !name.isEmpty() && !name.equalsIgnoreCase(language);
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
