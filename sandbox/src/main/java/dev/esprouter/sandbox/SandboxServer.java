package dev.esprouter.sandbox;

import dev.esprouter.common.ProviderName;
import dev.esprouter.sandbox.core.Profile;
import dev.esprouter.sandbox.core.WebhookEmitter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox as a Java object, for the app's sandbox role and for other modules' tests: all six
 * providers' send APIs under {@code http://host:port/<provider>}, the control routes under
 * {@code /sandbox}, and webhooks posted to {@code <webhookBase>/<provider>}.
 *
 * <pre>{@code
 * try (SandboxServer sandbox = SandboxServer.startBlocking(SandboxOptions.defaults()
 *     .withSeed(42).withWebhookBase("http://127.0.0.1:" + httpPort + "/webhooks"))) {
 *   String sendgridBase = sandbox.baseUrl(ProviderName.SENDGRID);   // http://127.0.0.1:NNNNN/sendgrid
 *   sandbox.configure(ProviderName.POSTMARK, new JsonObject().put("down", true));
 *   ... run the router against it ...
 *   assertThat(sandbox.stats().of(ProviderName.SENDGRID).duplicates()).isZero();
 * }
 * }</pre>
 *
 * Inside a Vert.x application use {@link #start(Vertx, SandboxOptions)} and {@link #stop()}.
 * Every method is thread-safe.
 */
public final class SandboxServer implements AutoCloseable {

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Sandbox sandbox;
  private final SandboxOptions options;
  private final int port;
  private final long seed;
  private final List<String> deployments;

  private SandboxServer(Vertx vertx, boolean ownsVertx, Sandbox sandbox, SandboxOptions options, int port, long seed,
                        List<String> deployments) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.sandbox = sandbox;
    this.options = options;
    this.port = port;
    this.seed = seed;
    this.deployments = deployments;
  }

  /** Starts the sandbox on {@code vertx}: its HTTP verticles and its webhook emitter. */
  public static Future<SandboxServer> start(Vertx vertx, SandboxOptions options) {
    return start(vertx, options, false);
  }

  /**
   * Starts the sandbox in a Vert.x instance of its own and waits for it (at most 30 s); for tests
   * and benchmarks on a plain thread. {@link #close()} stops it and that Vert.x.
   */
  public static SandboxServer startBlocking(SandboxOptions options) {
    Vertx vertx = Vertx.vertx();
    try {
      return start(vertx, options, true).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("sandbox did not start", e);
    }
  }

  private static Future<SandboxServer> start(Vertx vertx, SandboxOptions options, boolean ownsVertx) {
    long seed = options.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
    Sandbox sandbox = new Sandbox(options, seed);
    int port = options.port() == 0 && options.instances() > 1 ? freePort() : options.port();
    List<String> deployments = new ArrayList<>();
    AtomicReference<SandboxVerticle> first = new AtomicReference<>();
    return vertx.deployVerticle(() -> {
          SandboxVerticle v = new SandboxVerticle(sandbox, options.host(), port);
          first.compareAndSet(null, v);
          return v;
        }, new DeploymentOptions().setInstances(options.instances()))
        .compose(id -> {
          deployments.add(id);
          return vertx.deployVerticle(new WebhookEmitter(sandbox.pipelines(), options.webhookBase(),
              options.webhooks()));
        })
        .map(id -> {
          deployments.add(id);
          return new SandboxServer(vertx, ownsVertx, sandbox, options, first.get().actualPort(), seed, deployments);
        })
        .recover(err -> {
          Future<Void> undo = Future.succeededFuture();
          for (String id : deployments) {
            undo = undo.compose(v -> vertx.undeploy(id).otherwiseEmpty());
          }
          return undo.transform(x -> Future.failedFuture(err));
        });
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for the sandbox", e);
    }
  }

  /** The port the sandbox listens on (the free one chosen when the options said 0). */
  public int port() {
    return port;
  }

  /** {@code http://host:port}: where {@code /sandbox/stats} and the provider prefixes live. */
  public String baseUrl() {
    return "http://" + options.host() + ":" + port;
  }

  /** A provider's base URL, e.g. {@code http://127.0.0.1:8089/sendgrid}: set it as {@code SENDGRID_BASE_URL}. */
  public String baseUrl(ProviderName provider) {
    return baseUrl() + "/" + provider.wire();
  }

  /** The seed in use (the configured one, or the random one drawn at start). */
  public long seed() {
    return seed;
  }

  public SandboxOptions options() {
    return options;
  }

  /** The record, as {@code GET /sandbox/stats} shows it. */
  public SandboxStats stats() {
    return sandbox.stats();
  }

  /** The record as the JSON of {@code GET /sandbox/stats}. */
  public JsonObject statsJson() {
    return sandbox.statsJson();
  }

  public Profile profile(ProviderName provider) {
    return sandbox.pipeline(provider).profile();
  }

  /**
   * Changes a provider's profile (and its own settings, Meta's {@code template_review}) at once, as
   * {@code PUT /sandbox/providers/{name}} with the same JSON does; throws {@link dev.esprouter.sandbox.core.ProfileException} and changes nothing on a bad field.
   */
  public Profile configure(ProviderName provider, JsonObject patch) {
    var pipeline = sandbox.pipeline(provider);
    JsonObject profile = patch.copy();
    Runnable own = pipeline.dialect().ownSettings(profile);
    Profile next = pipeline.change(profile);
    own.run();
    return next;
  }

  /** Zeroes the record and restores the starting profiles (defaults + options), as {@code POST /sandbox/reset}. */
  public void reset() {
    sandbox.reset();
  }

  /** Stops the HTTP verticles and the webhook emitter (and the Vert.x of {@link #startBlocking}). */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (String id : deployments) {
      chain = chain.compose(v -> vertx.undeploy(id).otherwiseEmpty());
    }
    deployments.clear();
    return ownsVertx ? chain.compose(v -> vertx.close()) : chain;
  }

  /** {@link #stop()} and wait; only from a thread that is not an event loop. */
  @Override
  public void close() {
    try {
      stop().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("sandbox did not stop cleanly", e);
    }
  }
}
