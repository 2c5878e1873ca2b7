package dev.esprouter.bench.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast the sandbox accepts bulk sends, and what CPU it needs at 10k recipients a second.
 * Starts the sandbox in a child JVM ({@link SandboxBenchServer}, port 18110) with its webhooks
 * going to a receiver in this JVM, then:
 * <ol>
 *   <li>saturates it for {@code seconds} with concurrent bulk calls, round robin over SendGrid
 *       (1000 personalizations), SparkPost (1000 recipients) and Postmark (batch of 500):
 *       recipients accepted per second;</li>
 *   <li>paces 10 000 recipients a second (ten 1000-recipient calls) for {@code seconds}: the
 *       child's CPU time over wall time, in cores and as a share of the machine;</li>
 *   <li>single-recipient WhatsApp calls at full speed: requests per second.</li>
 * </ol>
 * {@code bench/run dev.esprouter.bench.sandbox.SandboxBench [seconds=15] [concurrency=16] [instances=1] [nowebhooks]};
 * {@code ESP_SANDBOX_BENCH_CHILD_OPTS} adds JVM options to the sandbox's JVM (e.g. a JFR recording).
 */
public final class SandboxBench {

  private static final int PORT = 18110;
  private static final int WEBHOOK_PORT = 18111;
  private static Vertx vertxOfBench;

  private SandboxBench() {
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int instances = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    boolean webhooks = args.length <= 3 || !args[3].equals("nowebhooks");
    Vertx vertx = Vertx.vertx();
    vertxOfBench = vertx;
    AtomicLong webhookPosts = new AtomicLong();
    HttpServer receiver = vertx.createHttpServer().requestHandler(req -> req.body().onComplete(b -> {
      webhookPosts.incrementAndGet();
      req.response().end();
    })).listen(WEBHOOK_PORT, "127.0.0.1").await();
    List<String> command = new ArrayList<>(List.of("java", "-Xmx512m"));
    String childOpts = System.getenv("ESP_SANDBOX_BENCH_CHILD_OPTS");
    if (childOpts != null && !childOpts.isBlank()) {
      command.addAll(List.of(childOpts.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), SandboxBenchServer.class.getName(),
        Integer.toString(PORT), "http://127.0.0.1:" + WEBHOOK_PORT + "/webhooks", Integer.toString(instances)));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("READY")) {
      // skip the child's start-up log
    }
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(concurrency));
    List<Call> bulk = bulkCalls();
    if (!webhooks) {
      webhooksOff(client);
    }
    try {
      System.out.printf("sandbox bench: %d s a phase, %d concurrent calls, %d sandbox event loop(s), webhooks %s, "
          + "%d cores, load average before: %s%n", seconds, concurrency, instances, webhooks ? "on" : "off",
          Runtime.getRuntime().availableProcessors(), loadAverage());
      saturate(client, bulk, concurrency, 3, null);
      long cpu0 = cpuNanos(child);
      long self0 = cpuNanos(ProcessHandle.current());
      long t0 = System.nanoTime();
      long[] max = saturate(client, bulk, concurrency, seconds, null);
      double wall = (System.nanoTime() - t0) / 1e9;
      System.out.printf("load generator CPU %.2f cores; load average now: %s%n",
          (cpuNanos(ProcessHandle.current()) - self0) / 1e9 / wall, loadAverage());
      double maxCores = (cpuNanos(child) - cpu0) / 1e9 / wall;
      System.out.printf("bulk, full speed: %,.0f recipients/s accepted (%,d calls, %,d refused), sandbox CPU %.2f cores"
          + " (%,.0f recipients per sandbox CPU-second)%n", max[0] / wall, max[1], max[2], maxCores,
          max[0] / wall / maxCores);

      // Forget the webhook backlog of the full-speed phase, so the paced phase pays only for its own.
      control(client, HttpMethod.POST, "/sandbox/reset", null);
      if (!webhooks) {
        webhooksOff(client);
      }
      long idle0 = cpuNanos(child);
      Thread.sleep(3000);
      System.out.printf("idle: sandbox CPU %.3f cores%n", (cpuNanos(child) - idle0) / 3e9);
      long cpu1 = cpuNanos(child);
      long t1 = System.nanoTime();
      double avg = bulk.stream().mapToInt(Call::recipients).average().orElse(1);
      long[] paced = saturate(client, bulk, concurrency, seconds, 10_000 / avg);
      double wall1 = (System.nanoTime() - t1) / 1e9;
      double cores = (cpuNanos(child) - cpu1) / 1e9 / wall1;
      System.out.printf("paced: %,.0f recipients/s, sandbox CPU %.3f cores = %.1f %% of this %d-core machine%n",
          paced[0] / wall1, cores, 100 * cores / Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().availableProcessors());

      List<Call> singles = List.of(metaCall());
      long t2 = System.nanoTime();
      long[] one = saturate(client, singles, concurrency, Math.max(5, seconds / 2), null);
      System.out.printf("WhatsApp single sends, full speed: %,.0f requests/s%n",
          one[1] / ((System.nanoTime() - t2) / 1e9));
    } finally {
      child.getOutputStream().close();
      String stats = null;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("{")) {
          stats = line;
        }
      }
      child.waitFor();
      System.out.println("webhook POSTs received: " + webhookPosts.get());
      System.out.println("sandbox record: " + stats);
      client.close().await();
      receiver.close().await();
      vertx.close().await();
    }
  }

  private static void webhooksOff(HttpClient client) {
    for (String p : new String[] {"sendgrid", "postmark", "socketlabs", "sparkpost", "meta", "telegram"}) {
      control(client, HttpMethod.PUT, "/sandbox/providers/" + p, new JsonObject().put("webhooks", false));
    }
  }

  private static void control(HttpClient client, HttpMethod method, String path, JsonObject body) {
    client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(PORT).setURI(path)
            .putHeader("content-type", "application/json"))
        .compose(req -> req.send(body == null ? Buffer.buffer() : body.toBuffer()))
        .compose(resp -> resp.body()).await();
  }

  private static long cpuNanos(Process p) {
    return cpuNanos(p.toHandle());
  }

  private static long cpuNanos(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** The 1, 5 and 15 minute load averages: how much else wanted this machine's cores meanwhile. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** One prepared request: where, headers, body and how many recipients it carries. */
  private record Call(String path, String[] headers, Buffer body, int recipients) {
  }

  /**
   * Runs {@code concurrency} loops of calls for {@code seconds}, optionally paced to
   * {@code callsPerSec}; returns recipients accepted, calls made, calls refused.
   */
  private static long[] saturate(HttpClient client, List<Call> calls, int concurrency, int seconds,
                                 Double callsPerSec) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong recipients = new AtomicLong();
    AtomicLong made = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong next = new AtomicLong();
    long start = System.nanoTime();
    List<Future<Void>> loops = new ArrayList<>();
    int loopsCount = callsPerSec == null ? concurrency : Math.min(concurrency, 4);
    for (int i = 0; i < loopsCount; i++) {
      loops.add(loop(client, calls, end, recipients, made, refused, next, start, callsPerSec));
    }
    Future.all(loops).await();
    return new long[] {recipients.get(), made.get(), refused.get()};
  }

  private static Future<Void> loop(HttpClient client, List<Call> calls, long end, AtomicLong recipients,
                                   AtomicLong made, AtomicLong refused, AtomicLong next, long start,
                                   Double callsPerSec) {
    if (System.nanoTime() >= end) {
      return Future.succeededFuture();
    }
    long n = next.getAndIncrement();
    Future<Void> wait = Future.succeededFuture();
    if (callsPerSec != null) {
      long due = start + (long) (n * 1e9 / callsPerSec);
      long delayMs = (due - System.nanoTime()) / 1_000_000;
      if (delayMs > 0) {
        wait = vertxOfBench.timer(delayMs).mapEmpty();
      }
    }
    Call call = calls.get((int) (n % calls.size()));
    return wait.compose(v -> send(client, call)).compose(status -> {
      made.incrementAndGet();
      if (status >= 200 && status < 300) {
        recipients.addAndGet(call.recipients());
      } else {
        refused.incrementAndGet();
      }
      return loop(client, calls, end, recipients, made, refused, next, start, callsPerSec);
    });
  }

  private static Future<Integer> send(HttpClient client, Call call) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(PORT)
        .setURI(call.path());
    for (int i = 0; i < call.headers().length; i += 2) {
      o.putHeader(call.headers()[i], call.headers()[i + 1]);
    }
    return client.request(o).compose(req -> req.send(call.body()))
        .compose(resp -> resp.body().map(b -> resp.statusCode()));
  }

  /** Bulk calls with distinct recipients and router ids, prepared once so the load generator stays cheap. */
  private static List<Call> bulkCalls() {
    List<Call> calls = new ArrayList<>();
    int id = 0;
    for (int c = 0; c < 30; c++) {
      JsonArray ps = new JsonArray();
      for (int i = 0; i < 1000; i++, id++) {
        ps.add(new JsonObject().put("to", new JsonArray().add(new JsonObject().put("email", "u" + id + "@example.com")))
            .put("dynamic_template_data", new JsonObject().put("name", "User " + id))
            .put("custom_args", new JsonObject().put("esp_message_id", "msg_" + id)));
      }
      calls.add(new Call("/sendgrid/v3/mail/send", new String[] {"Authorization", "Bearer SG.bench",
          "content-type", "application/json"}, new JsonObject().put("personalizations", ps)
          .put("from", new JsonObject().put("email", "noreply@shop.example")).put("subject", "Hi {{name}}")
          .put("content", new JsonArray().add(new JsonObject().put("type", "text/html").put("value", "<p>Hi</p>")))
          .toBuffer(), 1000));
      JsonArray rcpts = new JsonArray();
      for (int i = 0; i < 1000; i++, id++) {
        rcpts.add(new JsonObject().put("address", new JsonObject().put("email", "u" + id + "@example.com"))
            .put("substitution_data", new JsonObject().put("name", "User " + id))
            .put("metadata", new JsonObject().put("esp_message_id", "msg_" + id)));
      }
      calls.add(new Call("/sparkpost/api/v1/transmissions", new String[] {"Authorization", "bench",
          "content-type", "application/json"}, new JsonObject().put("recipients", rcpts)
          .put("content", new JsonObject().put("from", "noreply@shop.example").put("subject", "Hi {{name}}")
              .put("html", "<p>Hi</p>")).toBuffer(), 1000));
      JsonArray batch = new JsonArray();
      for (int i = 0; i < 500; i++, id++) {
        batch.add(new JsonObject().put("From", "noreply@shop.example").put("To", "u" + id + "@example.com")
            .put("Subject", "Hi User " + id).put("HtmlBody", "<p>Hi</p>").put("MessageStream", "broadcast")
            .put("Metadata", new JsonObject().put("esp_message_id", "msg_" + id)));
      }
      calls.add(new Call("/postmark/email/batch", new String[] {"X-Postmark-Server-Token", "bench",
          "content-type", "application/json"}, batch.toBuffer(), 500));
    }
    return calls;
  }

  private static Call metaCall() {
    JsonObject body = new JsonObject().put("messaging_product", "whatsapp").put("to", "16505550123")
        .put("type", "template").put("template", new JsonObject().put("name", "order_update")
            .put("language", new JsonObject().put("code", "en_US")))
        .put("biz_opaque_callback_data", "msg_wa");
    return new Call("/meta/v21.0/1065/messages", new String[] {"Authorization", "Bearer bench",
        "content-type", "application/json"}, body.toBuffer(), 1);
  }
}
