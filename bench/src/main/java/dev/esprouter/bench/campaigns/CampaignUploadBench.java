package dev.esprouter.bench.campaigns;

import dev.esprouter.campaigns.CampaignsRole;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.ingress.IngressRole;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.testkit.SharedKafka;
import dev.esprouter.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * A recipient upload of a million lines (issue 13): a private Kafka broker, a fresh PostgreSQL
 * database, the ingress and campaigns roles as the app starts them, and one {@code POST
 * /v1/campaigns/{id}/recipients} whose CSV body is generated while it is sent (the generator holds
 * one line, so the heap measured is the server's). It reports lines/s and the heap after a full GC
 * when the generator has produced 100k, 250k, 500k, 750k lines and at the end: streamed, it must not
 * grow with the list. Run it with a small heap, as the issue asks:
 * {@code ESP_BENCH_JAVA_OPTS=-Xmx256m bench/run dev.esprouter.bench.campaigns.CampaignUploadBench
 * [lines=1000000] [gzip=false]}. Broker, PostgreSQL, server and generator share the machine's cores.
 */
public final class CampaignUploadBench {

  private static final String KEY = "esk_live_campaignbenchkey00000000000000000000";
  private static final int[] HEAP_AT = {100_000, 250_000, 500_000, 750_000};

  public static void main(String[] args) throws Exception {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    boolean gzip = args.length > 1 && Boolean.parseBoolean(args[1]);
    int port = Integer.parseInt(System.getenv().getOrDefault("ESP_BENCH_PORT", "18210"));
    SharedKafka broker = SharedKafka.startPrivate();
    TestDatabase db = TestDatabase.create();
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("ESP_KAFKA_PARTITIONS", "6");
    env.put("PGHOST", db.settings().host());
    env.put("PGPORT", Integer.toString(db.settings().port()));
    env.put("PGDATABASE", db.name());
    env.put("PGUSER", db.settings().user());
    db.settings().password().ifPresent(p -> env.put("PGPASSWORD", p));
    env.put("ESP_HTTP_PORT", Integer.toString(port));
    env.put("ESP_ROLES", "ingress,campaigns");
    env.put("ESP_BOOTSTRAP_API_KEY", KEY);
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("ESP_CAMPAIGN_")) {
        env.put(k, v);
      }
    });
    EspConfig config = EspConfig.from(ConfigReader.of(env));
    RunningRoles roles = RunningRoles.start(config, new IngressRole(), new CampaignsRole());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      String base = "http://127.0.0.1:" + port;
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/campaigns"))
          .header("Authorization", "Bearer " + KEY).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("name", "bench").put("channel", "email")
              .put("from", "Shop <news@shop.example>").put("subject", "Hi {{name}}")
              .put("html", "<p>Hi {{name}} from {{city}}</p>").encode())).build(), HttpResponse.BodyHandlers.ofString());
      String id = new JsonObject(created.body()).getString("id");
      Map<Integer, Long> heap = new TreeMap<>();
      Lines body = new Lines(lines, heap);
      long t0 = System.nanoTime();
      HttpRequest.Builder upload = HttpRequest.newBuilder(URI.create(base + "/v1/campaigns/" + id + "/recipients"))
          .timeout(Duration.ofMinutes(30)).header("Authorization", "Bearer " + KEY).header("content-type", "text/csv");
      if (gzip) {
        upload.header("content-encoding", "gzip");
      }
      HttpResponse<String> r = http.send(upload.POST(HttpRequest.BodyPublishers.ofInputStream(
          () -> gzip ? gzipped(body) : body)).build(), HttpResponse.BodyHandlers.ofString());
      double seconds = (System.nanoTime() - t0) / 1e9;
      heap.put(lines, heapAfterGc());
      System.out.printf("upload of %,d CSV lines%s: HTTP %d in %.1f s, %,.0f lines/s; %s%n", lines,
          gzip ? " (gzip)" : "", r.statusCode(), seconds, lines / seconds,
          new JsonObject(r.body()).put("errors", new JsonObject(r.body()).getJsonArray("errors").size()).encode());
      heap.forEach((at, bytes) -> System.out.printf("  heap after GC at %,9d lines: %,6.1f MiB%n", at,
          bytes / 1048576.0));
      System.out.printf("  max heap %,.0f MiB%n", Runtime.getRuntime().maxMemory() / 1048576.0);
    } finally {
      roles.close();
      db.close();
      broker.close();
    }
  }

  static long heapAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    System.gc();
    return mem.getHeapMemoryUsage().getUsed();
  }

  private static InputStream gzipped(InputStream plain) {
    try {
      java.io.PipedInputStream in = new java.io.PipedInputStream(1 << 16);
      java.io.PipedOutputStream out = new java.io.PipedOutputStream(in);
      Thread t = new Thread(() -> {
        try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16)) {
          plain.transferTo(z);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, "bench-gzip");
      t.setDaemon(true);
      t.start();
      return in;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The CSV, one line at a time: a header, then {@code n} distinct addresses with two data columns;
   * with a {@code heap} map, the heap after a full GC at {@link #HEAP_AT} lines (none when null).
   */
  static final class Lines extends InputStream {
    private final int n;
    private final Map<Integer, Long> heap;
    private int next = -1;
    private byte[] line = new byte[0];
    private int pos;

    Lines(int n, Map<Integer, Long> heap) {
      this.n = n;
      this.heap = heap;
    }

    private boolean advance() {
      if (next >= n) {
        return false;
      }
      for (int at : HEAP_AT) {
        if (heap != null && next == at) {
          heap.put(at, heapAfterGc());
        }
      }
      String s = next < 0 ? "email,name,city\n"
          : "user" + next + "@bench" + (next % 97) + ".example,User " + next + ",City " + (next % 1000) + "\n";
      line = s.getBytes(StandardCharsets.UTF_8);
      pos = 0;
      next++;
      return true;
    }

    @Override
    public int read() {
      if (pos == line.length && !advance()) {
        return -1;
      }
      return line[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos == line.length && !advance()) {
        return -1;
      }
      int k = Math.min(len, line.length - pos);
      System.arraycopy(line, pos, b, off, k);
      pos += k;
      return k;
    }
  }
}
