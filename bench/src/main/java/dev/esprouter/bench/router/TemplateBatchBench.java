package dev.esprouter.bench.router;

import dev.esprouter.common.Channel;
import dev.esprouter.common.KafkaTopics;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.ingress.IngressRole;
import dev.esprouter.router.RouterRole;
import dev.esprouter.sandbox.SandboxOptions;
import dev.esprouter.sandbox.SandboxServer;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.testkit.SharedKafka;
import dev.esprouter.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Does a registry template cost the router more per recipient than inline content? Ingress and the
 * router in one process (real broker, fresh database, the sandbox with webhooks off), batches of N
 * recipients (default 10,000) posted to {@code /v1/batches} in pairs — inline content, then the same
 * content from a registry template — for email (a jte template, rendered once when stored) and for
 * WhatsApp (a text message against an approved Meta template). For each batch: the CPU of the roles'
 * threads (router, ingress, their Kafka clients; the threads that exist before the roles start — the
 * broker's, the sandbox's, GC and JIT — are counted apart as "the rest") from the POST until the
 * sandbox has accepted every recipient, per recipient. The template is looked up once per request at accept time; the router
 * fills the placeholders per recipient exactly as for inline content.
 *
 * <pre>flock /tmp/esp-bench.lock bench/run dev.esprouter.bench.router.TemplateBatchBench 10000 3</pre>
 * (recipients per batch, rounds of the four batches; the first round is a warm-up and not reported)
 */
public final class TemplateBatchBench {

  private static final int HTTP_PORT = 18310;
  private static final String KEY = "esk_live_templatebenchkey000000000000000000000";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    SharedKafka kafka = SharedKafka.startPrivate();
    TestDatabase db = TestDatabase.create();
    SandboxServer sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(1));
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("webhooks", false)
          .put("latency_ms", new JsonObject().put("p50", 1).put("p99", 5)));
    }
    sandbox.configure(ProviderName.META, new JsonObject().put("template_review", new JsonObject()
        .put("delay_ms", 50).put("outcome", "approved")));
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("ESP_KAFKA_PARTITIONS", "12");
    env.put("PGHOST", db.settings().host());
    env.put("PGPORT", Integer.toString(db.settings().port()));
    env.put("PGDATABASE", db.name());
    env.put("PGUSER", db.settings().user());
    db.settings().password().ifPresent(pw -> env.put("PGPASSWORD", pw));
    env.put("ESP_HTTP_PORT", Integer.toString(HTTP_PORT));
    env.put("ESP_HTTP_INSTANCES", "1");
    env.put("ESP_ROLES", "ingress,router");
    env.put("ESP_PROVIDERS_MODE", "sandbox");
    env.put("ESP_BOOTSTRAP_API_KEY", KEY);
    env.put("ESP_TEMPLATES_SYNC_MS", "300");
    for (ProviderName p : ProviderName.values()) {
      env.put(p.envPrefix() + "_BASE_URL", sandbox.baseUrl(p));
      env.put(p.envPrefix() + "_RATE_PER_SEC", "5000");
      env.put(p.envPrefix() + "_BURST", "500");
    }
    EspConfig config = EspConfig.from(ConfigReader.of(env));
    KafkaTopics.ensureBlocking(config.kafka(), new Topics(""));
    Set<Long> before = threadIds();
    RunningRoles roles = RunningRoles.start(config, new RouterRole(), new IngressRole());
    String api = "http://127.0.0.1:" + HTTP_PORT;
    registerTemplates(api);

    Map<String, long[]> totals = new HashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (String kind : new String[] {"email inline", "email template", "whatsapp inline", "whatsapp template"}) {
        long[] r = batch(api, sandbox, kind, n, before);
        if (round > 0) {
          totals.merge(kind, r, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]});
        }
        System.out.printf("  round %d %-18s %6d recipients in %5d ms: roles %6.1f µs/recipient, others "
            + "%6.1f µs/recipient%n", round, kind, r[3], r[0], r[1] / 1e3 / r[3], r[2] / 1e3 / r[3]);
      }
    }
    System.out.printf("%ntemplate bench: %d recipients a batch, %d measured rounds, cores %d%n", n, rounds - 1,
        Runtime.getRuntime().availableProcessors());
    for (String kind : new String[] {"email inline", "email template", "whatsapp inline", "whatsapp template"}) {
      long[] t = totals.get(kind);
      if (t != null) {
        System.out.printf("  %-18s roles (router, ingress) %6.1f µs/recipient; the rest %6.1f µs/recipient; "
            + "%6.0f recipients/s%n", kind, t[1] / 1e3 / t[3], t[2] / 1e3 / t[3], t[3] * 1000.0 / t[0]);
      }
    }
    roles.close();
    sandbox.close();
    db.close();
    kafka.close();
    System.exit(0);
  }

  /** An email template and an approved WhatsApp template with the same content as the inline batches. */
  private static void registerTemplates(String api) throws Exception {
    JsonObject mail = post(api + "/v1/templates", new JsonObject().put("channel", "email").put("name", "bench_mail")
        .put("language", "en").put("subject", "@param String name\nHi ${name}")
        .put("html", "@param String name\n@param String order\n<p>Hi ${name}, your order ${order}</p>")
        .put("text", "@param String name\n@param String order\nHi ${name}, your order ${order}"), 201);
    System.out.println("  email template: " + mail.getString("id"));
    JsonObject wa = post(api + "/v1/templates", new JsonObject().put("channel", "whatsapp").put("name", "bench_wa")
        .put("language", "en_US").put("category", "utility").put("components", new JsonArray()
            .add(new JsonObject().put("type", "body").put("text", "Hi {{1}}, your order {{2}} is on its way.")
                .put("example", new JsonObject().put("body_text", new JsonArray().add(new JsonArray().add("Ada")
                    .add("A-1")))))), 201);
    post(api + "/v1/templates/" + wa.getString("id") + "/submit", new JsonObject(), 200);
    long deadline = System.currentTimeMillis() + 30_000;
    while (!"approved".equals(get(api + "/v1/templates/" + wa.getString("id")).getString("status"))) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the WhatsApp template was not approved within 30 s");
      }
      Thread.sleep(100);
    }
    System.out.println("  WhatsApp template approved: " + wa.getString("id"));
  }

  /** One batch: {elapsed ms, roles' CPU ns, CPU ns of the threads that were there before, recipients}. */
  private static long[] batch(String api, SandboxServer sandbox, String kind, int n, Set<Long> before)
      throws Exception {
    boolean email = kind.startsWith("email");
    boolean template = kind.endsWith("template");
    JsonArray recipients = new JsonArray();
    for (int i = 0; i < n; i++) {
      String order = "A-" + i;
      if (email) {
        recipients.add(new JsonObject().put("to", "user" + i + "@bench.example").put("data",
            new JsonObject().put("name", "User " + i).put("order", order)));
      } else {
        recipients.add(new JsonObject().put("to", "+1415" + String.format("%07d", i)).put("data",
            new JsonObject().put("1", "User " + i).put("2", order)));
      }
    }
    JsonObject body = new JsonObject().put("channel", email ? "email" : "whatsapp").put("priority", "low")
        .put("recipients", recipients);
    if (email) {
      body.put("from", "Shop <noreply@shop.example>");
      if (template) {
        body.put("template", "bench_mail");
      } else {
        body.put("subject", "Hi {{name}}").put("html", "<p>Hi {{name}}, your order {{order}}</p>")
            .put("text", "Hi {{name}}, your order {{order}}");
      }
    } else if (template) {
      body.put("template", "bench_wa").put("locale", "en_US");
    } else {
      body.put("text", "Hi {{1}}, your order {{2}} is on its way.");
    }
    Channel channel = email ? Channel.EMAIL : Channel.WHATSAPP;
    long acceptedBefore = accepted(sandbox, channel);
    // From before the POST: the router starts on the first chunk while ingress is still answering, so
    // the window holds the whole batch, its acceptance (the one template lookup included) and its drain.
    Map<Long, Long> start = cpu();
    long t0 = System.currentTimeMillis();
    JsonObject answer = post(api + "/v1/batches", body, 202);
    if (answer.getInteger("accepted") != n) {
      throw new IllegalStateException(kind + ": accepted " + answer.getInteger("accepted") + " of " + n);
    }
    long deadline = t0 + 300_000;
    while (accepted(sandbox, channel) - acceptedBefore < n) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(kind + ": the sandbox accepted " + (accepted(sandbox, channel) - acceptedBefore)
            + " of " + n + " within 300 s");
      }
      Thread.sleep(10);
    }
    long elapsed = System.currentTimeMillis() - t0;
    Map<Long, Long> end = cpu();
    long roles = 0;
    long others = 0;
    for (Map.Entry<Long, Long> e : end.entrySet()) {
      long d = e.getValue() - start.getOrDefault(e.getKey(), 0L);
      if (before.contains(e.getKey())) {
        others += d;
      } else {
        roles += d;
      }
    }
    return new long[] {elapsed, roles, others, n};
  }

  private static long accepted(SandboxServer sandbox, Channel channel) {
    long n = 0;
    for (ProviderName p : ProviderName.of(channel)) {
      n += sandbox.stats().of(p).messages();
    }
    return n;
  }

  private static Set<Long> threadIds() {
    Set<Long> ids = new HashSet<>();
    for (long id : THREADS.getAllThreadIds()) {
      ids.add(id);
    }
    return ids;
  }

  private static Map<Long, Long> cpu() {
    Map<Long, Long> out = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long t = THREADS.getThreadCpuTime(id);
      if (t >= 0) {
        out.put(id, t);
      }
    }
    return out;
  }

  private static JsonObject post(String url, JsonObject body, int expected) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY)
        .header("content-type", "application/json").timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }

  private static JsonObject get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY)
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body());
  }
}
