package dev.esprouter.ingress.templates;

import gg.jte.CodeResolver;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Compiles an email template's jte sources ({@code subject}, {@code html}, {@code text}) at run time
 * and renders each once with every {@code @param} bound to its own {@code {{name}}} placeholder, the
 * way {@code ESP_TEMPLATES_DIR} files are rendered: the result is ordinary inline content whose
 * placeholders the providers fill per recipient, so a registry template costs no render per
 * recipient or per request. Compiling needs the JDK's compiler and takes a moment: call it on a
 * worker thread. Each call compiles in its own folder and class loader (removed afterwards), so
 * tenants never share compiled classes.
 */
final class JteRender {

  /** The rendered parts (only those given) and the params they use. */
  record Rendered(Map<String, String> parts, Set<String> params) {
  }

  private JteRender() {
  }

  /**
   * @throws TemplateRefusal {@code template_compile} with the compiler's first line when a part does
   *                         not compile, or a param that is not a String
   */
  static Rendered render(Map<String, String> sources) {
    Path classes;
    try {
      classes = Files.createTempDirectory("esp-jte-tenant-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for compiled templates", e);
    }
    try {
      CodeResolver resolver = new SourceMap(sources);
      Map<String, String> out = new LinkedHashMap<>();
      Set<String> params = new LinkedHashSet<>();
      for (Map.Entry<String, String> part : sources.entrySet()) {
        String file = part.getKey() + ".jte";
        ContentType type = part.getKey().equals("html") ? ContentType.Html : ContentType.Plain;
        TemplateEngine engine = TemplateEngine.create(resolver, classes.resolve(part.getKey()), type);
        try {
          Map<String, Object> bound = new HashMap<>();
          engine.getParamInfo(file).forEach((param, javaType) -> {
            if (javaType != String.class) {
              throw TemplateRefusal.of("template_compile", part.getKey(), "@param " + param + " is "
                  + javaType.getSimpleName() + "; every param must be a String (it is filled per recipient from data)");
            }
            bound.put(param, "{{" + param + "}}");
            params.add(param);
          });
          StringOutput rendered = new StringOutput();
          engine.render(file, bound, rendered);
          out.put(part.getKey(), rendered.toString());
        } catch (TemplateRefusal e) {
          throw e;
        } catch (RuntimeException e) {
          throw TemplateRefusal.of("template_compile", part.getKey(), "does not compile: " + firstLine(e));
        }
      }
      return new Rendered(out, params);
    } finally {
      deleteQuietly(classes);
    }
  }

  /** The template sources by jte name ("html.jte"), never changing while one render runs. */
  private static final class SourceMap implements CodeResolver {

    private final Map<String, String> byFile = new HashMap<>();

    SourceMap(Map<String, String> sources) {
      sources.forEach((part, src) -> byFile.put(part + ".jte", src));
    }

    @Override
    public String resolve(String name) {
      return byFile.get(name);
    }

    @Override
    public long getLastModified(String name) {
      return 0;
    }
  }

  private static String firstLine(RuntimeException e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String m = String.valueOf(t.getMessage()).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }
}
