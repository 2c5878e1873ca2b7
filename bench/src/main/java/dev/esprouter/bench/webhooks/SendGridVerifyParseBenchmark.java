package dev.esprouter.bench.webhooks;

import dev.esprouter.common.DeliveryEvent;
import dev.esprouter.common.ProviderName;
import dev.esprouter.common.config.ProviderSettings;
import dev.esprouter.common.config.ProvidersMode;
import dev.esprouter.common.config.SandboxSecrets;
import dev.esprouter.providers.sendgrid.SendGridEventParser;
import dev.esprouter.providers.sendgrid.SendGridWebhookSigner;
import dev.esprouter.providers.sendgrid.SendGridWebhookVerifier;
import dev.esprouter.providers.webhook.Verdict;
import dev.esprouter.providers.webhook.WebhookRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the webhooks endpoint spends per SendGrid POST of 1000 events before it hands the body to
 * Kafka: the ECDSA P-256 check over timestamp + body, and the structural parse to DeliveryEvents.
 * Run: {@code bench/run jmh SendGridVerifyParse}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SendGridVerifyParseBenchmark {

  private final SendGridEventParser parser = new SendGridEventParser();
  private SendGridWebhookVerifier verifier;
  private WebhookRequest request;
  private Buffer body;

  @Setup
  public void setup() {
    body = SendGridBatches.batch(1, 1000);
    Instant now = Instant.now();
    String ts = Long.toString(now.getEpochSecond());
    String signature = SendGridWebhookSigner.fromBase64(SandboxSecrets.SENDGRID_PRIVATE_KEY).sign(ts, body);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add(SendGridWebhookVerifier.SIGNATURE_HEADER, signature)
        .add(SendGridWebhookVerifier.TIMESTAMP_HEADER, ts);
    // Sandbox mode trusts the sandbox's public key, the pair of the private key signing above.
    verifier = SendGridWebhookVerifier.from(new ProviderSettings(ProviderName.SENDGRID, true, Map.of(), "", 1, 1,
        Map.of()), ProvidersMode.SANDBOX);
    request = new WebhookRequest(headers, body, now);
  }

  @Benchmark
  public Verdict verify() {
    return verifier.verify(request);
  }

  @Benchmark
  public List<DeliveryEvent> parse() {
    return parser.parse(body);
  }

  @Benchmark
  public int verifyAndParse() {
    if (!verifier.verify(request).accepted()) {
      throw new IllegalStateException("signature did not verify");
    }
    return parser.parse(body).size();
  }
}
