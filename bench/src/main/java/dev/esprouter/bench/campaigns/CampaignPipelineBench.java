package dev.esprouter.bench.campaigns;

import dev.esprouter.analytics.AnalyticsRole;
import dev.esprouter.bench.router.DrainCpu;
import dev.esprouter.bench.router.RouterThroughputBench;
import dev.esprouter.campaigns.CampaignsRole;
import dev.esprouter.common.Channel;
import dev.esprouter.common.Ids;
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
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A campaign of N email recipients from {@code start} to every recipient provider-accepted with its
 * status {@code sent} in PostgreSQL (issue 13), in the process layout of {@link RouterThroughputBench}
 * (its configuration, warm-up, CPU split, heap probes and bare-insert yardstick, reused): a private
 * KRaft broker, a fresh database, the sandbox (webhooks off), and in one process the ingress,
 * campaigns, router and analytics roles. The list goes in through the real upload route, a CSV
 * generated while it is sent ({@link CampaignUploadBench.Lines}); then {@code POST …/start}, and the
 * feeder hands it to the router chunk by chunk as it does in production.
 *
 * <p>It prints the upload's lines/s; recipients/s from start to the last status persisted; CPU per
 * recipient by component over that span ({@link DrainCpu}); the heap (peak used, peak right after a
 * GC, live at the end); the router's timers; and the campaign's rate over the bare PostgreSQL insert
 * rate of the same rows, measured in the same run: the figure RouterThroughputBench prints for the
 * batch path ({@code router/insert}), so the two compare across machines and runs.
 *
 * <pre>ESP_BENCH_JAVA_OPTS=-Xmx512m flock /tmp/esp-bench.lock bench/run dev.esprouter.bench.campaigns.CampaignPipelineBench 1000000</pre>
 */
public final class CampaignPipelineBench {

  private static final int HTTP_PORT = 18310;
  private static final String KEY = "esk_live_campaignpipelinebench0000000000000";

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    AtomicLong peakHeap = new AtomicLong();
    AtomicLong peakLive = new AtomicLong();
    ScheduledExecutorService sampler = RouterThroughputBench.heapSampler(peakHeap);
    RouterThroughputBench.afterEveryGc(peakLive);

    SharedKafka kafka = SharedKafka.startPrivate();
    TestDatabase db = TestDatabase.create();
    SandboxServer sandbox = SandboxServer.startBlocking(SandboxOptions.defaults().withSeed(1));
    for (ProviderName p : ProviderName.values()) {
      sandbox.configure(p, new JsonObject().put("webhooks", false));
    }
    Map<String, String> env = RouterThroughputBench.environment(kafka, db, sandbox, HTTP_PORT,
        "ingress,campaigns,router,analytics");
    env.put("ESP_BOOTSTRAP_API_KEY", KEY);
    EspConfig config = EspConfig.from(ConfigReader.of(env));
    Topics topics = new Topics("");
    KafkaTopics.ensureBlocking(config.kafka(), topics);
    RunningRoles roles = RunningRoles.start(config, new RouterRole(), new AnalyticsRole(), new IngressRole(),
        new CampaignsRole());
    Properties pp = new Properties();
    pp.put("bootstrap.servers", kafka.bootstrapServers());
    try (KafkaProducer<String, byte[]> warm = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
      RouterThroughputBench.warmUp(warm, topics, db);
    }
    long before = accepted(sandbox);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + HTTP_PORT;
    String id = new JsonObject(call(http, base + "/v1/campaigns", "application/json",
        HttpRequest.BodyPublishers.ofString(new JsonObject().put("name", "bench").put("channel", "email")
            .put("from", "Shop <news@shop.example>").put("subject", "Hi {{name}}")
            .put("html", "<p>Hi {{name}} from {{city}}</p>").encode()), 201)).getString("id");
    long t0 = System.nanoTime();
    String report = call(http, base + "/v1/campaigns/" + id + "/recipients", "text/csv",
        HttpRequest.BodyPublishers.ofInputStream(() -> new CampaignUploadBench.Lines(total, null)), 200);
    double uploadSeconds = (System.nanoTime() - t0) / 1e9;

    DrainCpu cpu = DrainCpu.begin(db.name());
    long start = System.currentTimeMillis();
    call(http, base + "/v1/campaigns/" + id + "/start", "application/json", HttpRequest.BodyPublishers.noBody(), 200);
    // Progress from the sandbox's in-memory record, so the benchmark does not load PostgreSQL with
    // counting; the status counters are read only once the sandbox has every recipient.
    long deadline = start + 3_600_000;
    while (accepted(sandbox) - before < total && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    long sent;
    try (Connection c = TestDatabase.connect(db.settings())) {
      do {
        sent = RouterThroughputBench.count(c, "select coalesce(sum(n), 0) from batch_counters where batch_id = '" + id
            + "' and status = 'sent'");
        if (sent < total) {
          Thread.sleep(200);
        }
      } while (sent < total && System.currentTimeMillis() < deadline);
    }
    long done = System.currentTimeMillis();
    DrainCpu.Split split = cpu.end(RouterThroughputBench.applications(db));
    long heapPeak = peakHeap.get();
    long livePeak = peakLive.get();
    System.gc();
    long liveAtEnd = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    // The feeder marks the campaign completed on its next tick once every fed recipient is settled.
    JsonObject campaign = new JsonObject(get(http, base + "/v1/campaigns/" + id));
    while (!"completed".equals(campaign.getString("state")) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      campaign = new JsonObject(get(http, base + "/v1/campaigns/" + id));
    }
    long completed = System.currentTimeMillis();
    List<String> timers = RouterThroughputBench.timers(roles);
    roles.close();

    double rate = sent * 1000.0 / (done - start);
    double insertRate = RouterThroughputBench.bareInsertRate(db, new RouterThroughputBench.BatchShape(Ids.batch(), total));
    System.out.printf("%ncampaign pipeline bench: %d email recipients, cores %d, max heap %d MiB%n", total,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf("  upload (CSV through POST /v1/campaigns/{id}/recipients): %.1f s, %.0f lines/s; %s%n",
        uploadSeconds, total / uploadSeconds, compact(report));
    System.out.printf("  start -> all sent+persisted in %d ms -> %.0f recipients/s (sent %d, sandbox duplicates %d, "
            + "state %s %d ms after start, %s)%n", done - start, rate, sent, sandbox.stats().duplicates(),
        campaign.getString("state"), completed - start, campaign.getJsonObject("totals").encode());
    System.out.printf("  heap over the run (broker start, upload, campaign): peak used %d MiB, peak right after a GC %d MiB; "
        + "live after a full GC at the end %d MiB%n", heapPeak >> 20, livePeak >> 20, liveAtEnd >> 20);
    split.print(sent);
    System.out.println("  timers (count, mean, max, total):");
    timers.forEach(System.out::println);
    System.out.printf("  bare PostgreSQL insert of the same rows (500-row unnest statements): %.0f rows/s; campaign/insert"
        + " = %.2f (compare RouterThroughputBench's router/insert at the same count)%n", insertRate, rate / insertRate);
    sampler.shutdown();
    sandbox.close();
    db.close();
    kafka.close();
    System.exit(sent == total ? 0 : 1);
  }

  private static String call(HttpClient http, String url, String type, HttpRequest.BodyPublisher body, int expected)
      throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30))
        .header("Authorization", "Bearer " + KEY).header("content-type", type).POST(body).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The upload's answer without its list of errors (counts only). */
  private static String compact(String report) {
    JsonObject o = new JsonObject(report);
    return o.put("errors", o.getJsonArray("errors").size()).encode();
  }

  /** Email recipients the sandbox accepted so far. */
  private static long accepted(SandboxServer sandbox) {
    long n = 0;
    for (ProviderName p : ProviderName.of(Channel.EMAIL)) {
      n += sandbox.stats().of(p).messages();
    }
    return n;
  }
}
