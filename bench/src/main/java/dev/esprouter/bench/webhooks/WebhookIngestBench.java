package dev.esprouter.bench.webhooks;

import dev.esprouter.common.KafkaTopics;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.Topics;
import dev.esprouter.common.config.ConfigReader;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.sendgrid.SendGridWebhookSigner;
import dev.esprouter.providers.sendgrid.SendGridWebhookVerifier;
import dev.esprouter.testkit.RunningRoles;
import dev.esprouter.testkit.SharedKafka;
import dev.esprouter.webhooks.WebhooksRole;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Webhook ingestion, our half of the pipeline: signed SendGrid batches of 1000 events POSTed to
 * {@code /webhooks/sendgrid} (verify, structural parse, produce with acks=all, 200 after the ack),
 * on a private in-process KRaft broker. Reports acknowledged events per second and request latency,
 * and checks the topic holds exactly the acknowledged records.
 *
 * <p>{@code bench/run dev.esprouter.bench.webhooks.WebhookIngestBench [seconds=20] [concurrency=8]
 * [eventsPerPost=1000]}. Uses HTTP port 18401; the client, the server and the broker share the machine.
 */
public final class WebhookIngestBench {

  private static final int PORT = 18401;
  private static final int DISTINCT_BODIES = 32;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int eventsPerPost = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    if (seconds > 240) {
      throw new IllegalArgumentException("SendGrid signatures are valid for 300 s: run at most 240 s");
    }
    try (SharedKafka broker = SharedKafka.startPrivate()) {
      EspConfig config = EspConfig.from(ConfigReader.of(Map.of(
          "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
          "ESP_PROVIDERS_MODE", "sandbox",
          "ESP_HTTP_PORT", Integer.toString(PORT),
          "ESP_HTTP_INSTANCES", "2",
          "ESP_KAFKA_PARTITIONS", "6")));
      Topics topics = new Topics(config.kafka().topicPrefix());
      KafkaTopics.ensureBlocking(config.kafka(), topics);
      try (RunningRoles roles = RunningRoles.start(config, new WebhooksRole())) {
        run(roles, config, topics, seconds, concurrency, eventsPerPost);
      }
    }
    System.exit(0);
  }

  private record Signed(Buffer body, String timestamp, String signature) {
  }

  private static void run(RunningRoles roles, EspConfig config, Topics topics, int seconds, int concurrency,
                          int eventsPerPost) throws Exception {
    SendGridWebhookSigner signer = SendGridWebhookSigner.fromBase64(SandboxSecrets.SENDGRID_PRIVATE_KEY);
    String ts = Long.toString(Instant.now().getEpochSecond());
    List<Signed> bodies = new ArrayList<>();
    for (int i = 0; i < DISTINCT_BODIES; i++) {
      Buffer body = SendGridBatches.batch(i, eventsPerPost);
      bodies.add(new Signed(body, ts, signer.sign(ts, body)));
    }
    System.out.printf("body: %d events, %d bytes; concurrency %d; %d s after 5 s warm-up%n", eventsPerPost,
        bodies.get(0).body().length(), concurrency, seconds);

    Vertx client = Vertx.vertx();
    HttpClientAgent http = client.createHttpClient(new HttpClientOptions().setDefaultPort(PORT)
        .setDefaultHost("127.0.0.1").setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong measuring = new AtomicLong(0); // 0 warm-up, 1 measuring, 2 stopping
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int c = 0; c < concurrency; c++) {
      loop(http, bodies, c, latency, ok, failed, measuring, done);
    }
    Thread.sleep(5000);
    long okBefore;
    synchronized (latency) {
      latency.reset();
      okBefore = ok.get();
      measuring.set(1);
    }
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    Thread.sleep(seconds * 1000L);
    long okAfter = ok.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
    measuring.set(2);
    done.await(60, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);

    long posts = okAfter - okBefore;
    long records = countRecords(config.kafka().bootstrapServers(), topics.webhooks(ProviderName.SENDGRID));
    System.out.printf("acked: %d posts in %.1f s = %.0f posts/s = %.0f events/s%n", posts, elapsed,
        posts / elapsed, posts * eventsPerPost / elapsed);
    System.out.printf("process CPU: %.1f s over %.1f s wall (client + endpoint + broker in one JVM) = %.0f events "
        + "per CPU-second%n", cpuSeconds, elapsed, posts * eventsPerPost / cpuSeconds);
    synchronized (latency) {
      System.out.printf("latency ms: p50 %.1f  p99 %.1f  max %.1f%n", latency.getValueAtPercentile(50) / 1000.0,
          latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0);
    }
    System.out.printf("failed requests: %d; records in %s: %d (acked posts overall: %d)%n", failed.get(),
        topics.webhooks(ProviderName.SENDGRID), records, ok.get());
  }

  private static void loop(HttpClientAgent http, List<Signed> bodies, int index, Histogram latency, AtomicLong ok,
                           AtomicLong failed, AtomicLong measuring, CountDownLatch done) {
    if (measuring.get() == 2) {
      done.countDown();
      return;
    }
    Signed s = bodies.get(index % bodies.size());
    long t0 = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(PORT)
        .setURI("/webhooks/sendgrid")
        .putHeader("content-type", "application/json")
        .putHeader(SendGridWebhookVerifier.SIGNATURE_HEADER, s.signature())
        .putHeader(SendGridWebhookVerifier.TIMESTAMP_HEADER, s.timestamp());
    http.request(options)
        .compose(req -> req.send(s.body()))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result() == 200) {
            synchronized (latency) {
              ok.incrementAndGet();
              if (measuring.get() == 1) {
                latency.recordValue(Math.min((System.nanoTime() - t0) / 1000, latency.getHighestTrackableValue()));
              }
            }
          } else if (failed.incrementAndGet() <= 3) {
            System.out.println("request failed: " + (ar.succeeded() ? "HTTP " + ar.result() : ar.cause()));
          }
          loop(http, bodies, index + 1, latency, ok, failed, measuring, done);
        });
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long countRecords(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      return c.endOffsets(parts, Duration.ofSeconds(10)).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
