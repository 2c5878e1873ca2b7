package dev.esprouter.ingress;

import dev.esprouter.common.Content;
import dev.esprouter.common.Language;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import gg.jte.resolve.DirectoryCodeResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The email templates named by a request's {@code template}: jte files in {@code ESP_TEMPLATES_DIR},
 * {@code <name>.subject.jte}, {@code <name>.html.jte} and {@code <name>.text.jte} (html or text, or
 * both; subject unless every request gives one), with translations in a folder per locale
 * ({@code pt-BR/<name>.html.jte}; a request's {@code pt-BR} falls back to {@code pt}, then to the
 * folder itself). Other folders (layouts, includes) are only used by {@code @template} calls.
 *
 * <p>Each template is rendered once, when loaded, with every {@code @param} (all must be
 * {@code String}) bound to its own {@code {{name}}} placeholder. The result is ordinary inline
 * content: the router fills the placeholders per recipient from {@code data} (HTML-escaped in html)
 * through each provider's bulk personalisation, exactly as for inline content, so a template never
 * costs a render or a provider call per recipient. What follows from that: a template's logic
 * ({@code @if}, {@code @for}) sees the placeholders, not the recipient's values, so per-recipient
 * branching belongs in {@code data}, not in the template.
 *
 * <p>Loading compiles the templates (jte needs a JDK at run time) and is blocking: it runs on a
 * worker, at start and whenever a file in the folder changes ({@link #fingerprint}). A template that
 * does not compile is kept as broken and named in the 400 of the requests that use it.
 */
final class EmailTemplates {

  private static final Pattern LOCALE_DIR = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final List<String> PARTS = List.of("subject", "html", "text");

  /** One template in one locale, rendered: {@code {{name}}} placeholders left for the router. */
  record Rendered(String subject, String html, String text) {
  }

  private final Map<String, Rendered> templates;
  private final Map<String, String> broken;
  private final String fingerprint;

  private EmailTemplates(Map<String, Rendered> templates, Map<String, String> broken, String fingerprint) {
    this.templates = templates;
    this.broken = broken;
    this.fingerprint = fingerprint;
  }

  static EmailTemplates none() {
    return new EmailTemplates(Map.of(), Map.of(), "");
  }

  /** What the folder holds now (paths, sizes, modification times): a change means a reload. Blocking. */
  static String fingerprint(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(p -> p.toString().endsWith(".jte")).sorted().forEach(p -> {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          sb.append(dir.relativize(p)).append(':').append(a.size()).append(':')
              .append(a.lastModifiedTime().toMillis()).append('\n');
        } catch (IOException e) {
          sb.append(p).append(":gone\n");
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the templates folder " + dir, e);
    }
    return sb.toString();
  }

  /** Compiles and renders every template of the folder (an absent folder has none). Blocking. */
  static EmailTemplates load(Path dir) {
    String fingerprint = fingerprint(dir);
    if (fingerprint.isEmpty()) {
      return new EmailTemplates(Map.of(), Map.of(), "");
    }
    Path classes;
    try {
      classes = Files.createTempDirectory("esp-jte-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for compiled templates", e);
    }
    DirectoryCodeResolver files = new DirectoryCodeResolver(dir);
    TemplateEngine html = TemplateEngine.create(files, classes.resolve("html"), ContentType.Html);
    TemplateEngine plain = TemplateEngine.create(files, classes.resolve("plain"), ContentType.Plain);
    Map<String, Map<String, String>> parts = new TreeMap<>();
    Map<String, String> broken = new HashMap<>();
    for (String file : templateFiles(dir)) {
      int slash = file.indexOf('/');
      String locale = slash < 0 ? "" : file.substring(0, slash).toLowerCase(Locale.ROOT);
      String base = file.substring(slash + 1, file.length() - ".jte".length());
      int dot = base.lastIndexOf('.');
      String part = dot < 0 ? null : base.substring(dot + 1);
      String name = dot < 0 ? base : base.substring(0, dot);
      if (!PARTS.contains(part) || !NAME.matcher(name).matches()) {
        continue;
      }
      String key = key(locale, name);
      try {
        String out = render(part.equals("html") ? html : plain, file);
        if (part.equals("subject")) {
          out = out.strip();
          if (out.indexOf('\r') >= 0 || out.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a subject must be one line");
          }
        }
        parts.computeIfAbsent(key, k -> new HashMap<>()).put(part, out);
      } catch (RuntimeException e) {
        broken.put(key, file + ": " + firstLine(e));
      }
    }
    Map<String, Rendered> rendered = new HashMap<>();
    parts.forEach((key, p) -> {
      if (broken.containsKey(key)) {
        return;
      }
      if (p.get("html") == null && p.get("text") == null) {
        broken.put(key, key + ": has no .html.jte or .text.jte");
        return;
      }
      rendered.put(key, new Rendered(p.get("subject"), p.get("html"), p.get("text")));
    });
    deleteQuietly(classes);
    return new EmailTemplates(Map.copyOf(rendered), Map.copyOf(broken), fingerprint);
  }

  String fingerprint() {
    return fingerprint;
  }

  int size() {
    return templates.size();
  }

  Map<String, String> broken() {
    return broken;
  }

  /**
   * The request's content with its template rendered in: the template gives html and text, and the
   * subject unless the request has its own. Content without a template is returned as it is.
   *
   * @throws Invalid when the template is unknown or broken, or the request also gives inline html or
   *                 text, or neither the request nor the template has a subject
   */
  Content expand(Content c) {
    if (c.template() == null) {
      return c;
    }
    if (c.html() != null || c.text() != null) {
      throw Invalid.field("invalid_field", c.html() != null ? "html" : "text",
          "give either inline html/text or a template, not both");
    }
    String key = resolve(c.template(), c.locale());
    if (key == null) {
      String why = broken.get(key("", c.template()));
      throw Invalid.field("unknown_template", "template", why != null ? "'" + c.template()
          + "' does not compile: " + why : "no email template named '" + c.template() + "' in this tenant's registry or ESP_TEMPLATES_DIR (looked for "
          + c.template() + ".html.jte or .text.jte in ESP_TEMPLATES_DIR)");
    }
    Rendered t = templates.get(key);
    String subject = c.subject() != null ? c.subject() : t.subject();
    if (subject == null) {
      throw Invalid.field("missing_field", "subject", "template '" + c.template()
          + "' has no .subject.jte, so the request must give a subject");
    }
    // The language recorded is the folder's the template came from (none for the top folder).
    return new Content(c.from(), c.replyTo(), subject, t.html(), t.text(), c.template(), folderLanguage(key));
  }

  /** The canonical language of a template key's folder ("pt-br/welcome" → pt-BR), null for the top folder or an odd name. */
  private static String folderLanguage(String key) {
    int slash = key.indexOf('/');
    try {
      return slash <= 0 ? null : Language.canonicalOrNull(key.substring(0, slash));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** pt-BR, then pt, then the folder itself; the first that has the template (or is broken, to say so). */
  private String resolve(String name, String locale) {
    String l = locale == null ? "" : locale.toLowerCase(Locale.ROOT);
    while (true) {
      String key = key(l, name);
      if (templates.containsKey(key)) {
        return key;
      }
      if (broken.containsKey(key)) {
        return null;
      }
      if (l.isEmpty()) {
        return null;
      }
      int dash = l.lastIndexOf('-');
      l = dash < 0 ? "" : l.substring(0, dash);
    }
  }

  private static String key(String locale, String name) {
    return locale + "/" + name;
  }

  /** Every param a String, bound to its own placeholder. */
  private static String render(TemplateEngine engine, String file) {
    Map<String, Object> params = new HashMap<>();
    engine.getParamInfo(file).forEach((param, type) -> {
      if (type != String.class) {
        throw new IllegalArgumentException("@param " + param + " is " + type.getSimpleName()
            + "; email template params must be String (each is filled per recipient from data)");
      }
      params.put(param, "{{" + param + "}}");
    });
    StringOutput out = new StringOutput();
    engine.render(file, params, out);
    return out.toString();
  }

  /** Template files of the folder and of its locale folders, as jte names ("welcome.html.jte", "pt-br/welcome.html.jte"). */
  private static List<String> templateFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(n -> n.endsWith(".jte"))
          .filter(n -> n.indexOf('/') < 0 || LOCALE_DIR.matcher(n.substring(0, n.indexOf('/'))).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the templates folder " + dir, e);
    }
  }

  private static String firstLine(RuntimeException e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }
}
