package dev.esprouter.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one OpenAPI document of {@code /openapi.yaml}: the union of every module's
 * {@code openapi/*.yaml} on the classpath. Each module describes the routes it registers beside its
 * code, so a module that joins the jar (a role, campaigns) joins the document without a list to
 * edit here.
 *
 * <p>Merging: paths are united (one operation defined twice is an error); a document's top-level
 * {@code security} moves onto its operations that have none; a component defined by two documents
 * with different content is renamed in the later one ({@code Error} becomes {@code AnalyticsError})
 * and that document's {@code $ref}s follow, so each operation keeps its own document's meaning.
 */
public final class OpenApiDocuments {

  private static final String FOLDER = "openapi";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options",
      "head", "patch", "trace");
  private static final Pattern DOCUMENT = Pattern.compile(FOLDER + "/[A-Za-z0-9_-]+\\.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private OpenApiDocuments() {
  }

  /** Resource names of every module's document ({@code openapi/ingress.yaml}, ...), sorted. */
  public static List<String> discover(ClassLoader loader) {
    TreeSet<String> names = new TreeSet<>();
    try {
      Enumeration<URL> folders = loader.getResources(FOLDER);
      while (folders.hasMoreElements()) {
        collect(folders.nextElement(), names);
      }
      // A jar built without directory entries has no "openapi" resource: read the jar itself.
      URL self = OpenApiDocuments.class.getProtectionDomain().getCodeSource().getLocation();
      if (self != null && self.getPath().endsWith(".jar")) {
        try (JarFile jar = new JarFile(new File(self.toURI()))) {
          collect(jar, names);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the OpenAPI documents on the classpath", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the jar of " + OpenApiDocuments.class.getName(), e);
    }
    return new ArrayList<>(names);
  }

  /** Every document on the classpath of this class, merged. */
  public static ObjectNode merged() {
    ClassLoader loader = OpenApiDocuments.class.getClassLoader();
    Map<String, JsonNode> docs = new LinkedHashMap<>();
    for (String name : discover(loader)) {
      try (InputStream in = loader.getResourceAsStream(name)) {
        docs.put(name, YAML.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + name, e);
      }
    }
    return merge(docs);
  }

  /** {@link #merged()} as YAML, what {@code /openapi.yaml} serves. */
  public static String mergedYaml() {
    try {
      return YAML.writeValueAsString(merged());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The union of {@code docs} (resource name to parsed document), in the map's order. */
  public static ObjectNode merge(Map<String, JsonNode> docs) {
    ObjectNode out = YAML.createObjectNode();
    out.put("openapi", "3.1.0");
    ObjectNode info = out.putObject("info");
    info.put("title", "esp-router API");
    info.put("version", "0.1.0");
    info.put("description", "Every route of the main HTTP port (ESP_HTTP_PORT), united from the documents "
        + String.join(", ", docs.keySet()) + ". Which routes answer depends on ESP_ROLES.");
    out.putArray("servers").addObject().put("url", "http://localhost:8080");
    ObjectNode paths = out.putObject("paths");
    ObjectNode components = out.putObject("components");
    for (Map.Entry<String, JsonNode> d : docs.entrySet()) {
      JsonNode doc = d.getValue().deepCopy();
      rewriteRefs(doc, renames(docName(d.getKey()), doc.path("components"), components));
      mergeComponents(doc.path("components"), components);
      mergePaths(d.getKey(), doc, paths);
    }
    return out;
  }

  private static Map<String, String> renames(String docName, JsonNode theirs, ObjectNode ours) {
    Map<String, String> renames = new HashMap<>();
    theirs.fields().forEachRemaining(kind -> kind.getValue().fields().forEachRemaining(c -> {
      JsonNode existing = ours.path(kind.getKey()).path(c.getKey());
      if (!existing.isMissingNode() && !existing.equals(c.getValue())) {
        String prefix = "#/components/" + kind.getKey() + "/";
        renames.put(prefix + c.getKey(), prefix + docName + c.getKey());
      }
    }));
    if (!renames.isEmpty()) {
      ObjectNode comps = (ObjectNode) theirs;
      for (Map.Entry<String, String> r : renames.entrySet()) {
        String[] from = r.getKey().split("/");
        String[] to = r.getValue().split("/");
        ObjectNode kind = (ObjectNode) comps.get(from[2]);
        kind.set(to[3], kind.remove(from[3]));
      }
    }
    return renames;
  }

  private static void rewriteRefs(JsonNode node, Map<String, String> renames) {
    if (renames.isEmpty()) {
      return;
    }
    if (node.isObject()) {
      ObjectNode obj = (ObjectNode) node;
      JsonNode ref = obj.get("$ref");
      if (ref != null && ref.isTextual() && renames.containsKey(ref.asText())) {
        obj.set("$ref", TextNode.valueOf(renames.get(ref.asText())));
      }
      obj.elements().forEachRemaining(child -> rewriteRefs(child, renames));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> rewriteRefs(child, renames));
    }
  }

  private static void mergeComponents(JsonNode theirs, ObjectNode ours) {
    theirs.fields().forEachRemaining(kind -> {
      ObjectNode target = ours.has(kind.getKey()) ? (ObjectNode) ours.get(kind.getKey()) : ours.putObject(kind.getKey());
      kind.getValue().fields().forEachRemaining(c -> target.set(c.getKey(), c.getValue()));
    });
  }

  private static void mergePaths(String name, JsonNode doc, ObjectNode paths) {
    JsonNode security = doc.get("security");
    Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> p = it.next();
      ObjectNode target = paths.has(p.getKey()) ? (ObjectNode) paths.get(p.getKey()) : paths.putObject(p.getKey());
      p.getValue().fields().forEachRemaining(op -> {
        if (target.has(op.getKey())) {
          throw new IllegalStateException(name + ": " + op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey()
              + " is already described by another OpenAPI document");
        }
        if (security != null && METHODS.contains(op.getKey()) && !op.getValue().has("security")) {
          ((ObjectNode) op.getValue()).set("security", security);
        }
        target.set(op.getKey(), op.getValue());
      });
    }
  }

  private static void collect(URL folder, TreeSet<String> names) throws IOException {
    switch (folder.getProtocol()) {
      case "file" -> {
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
          files.map(f -> FOLDER + "/" + f.getFileName()).filter(n -> DOCUMENT.matcher(n).matches()).forEach(names::add);
        } catch (URISyntaxException e) {
          throw new IOException("bad resource URL " + folder, e);
        }
      }
      case "jar" -> {
        JarURLConnection connection = (JarURLConnection) folder.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          collect(jar, names);
        }
      }
      default -> throw new IOException("cannot list resources at " + folder);
    }
  }

  private static void collect(JarFile jar, TreeSet<String> names) {
    Enumeration<JarEntry> entries = jar.entries();
    while (entries.hasMoreElements()) {
      String n = entries.nextElement().getName();
      if (DOCUMENT.matcher(n).matches()) {
        names.add(n);
      }
    }
  }

  private static String docName(String resource) {
    String base = resource.substring(FOLDER.length() + 1, resource.length() - ".yaml".length());
    StringBuilder b = new StringBuilder();
    for (String part : base.split("[-_]")) {
      if (!part.isEmpty()) {
        b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return b.toString();
  }
}
