package dev.esprouter.common.runtime;

import dev.esprouter.common.Topics;
import dev.esprouter.common.config.EspConfig;
import dev.esprouter.common.db.Db;
import dev.esprouter.common.http.ApiKeyAuth;
import dev.esprouter.common.routing.ChunkGates;
import dev.esprouter.common.routing.ProviderHealth;
import dev.esprouter.common.routing.WeightSource;
import dev.esprouter.common.routing.WeightSourceFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a set of roles in one Vert.x instance: the shared pool and services, each role started in
 * dependency order, then the main HTTP port with the roles' routes and the operations endpoints.
 * The app's {@code main} and the integration tests both run the router through this class, so a
 * test exercises the same wiring as production.
 */
public final class RoleRuntime {

  private static final Logger log = LoggerFactory.getLogger(RoleRuntime.class);

  /** Start order: what a role uses is up before it (sandbox before router, weights before router). */
  private static final List<EspConfig.Role> START_ORDER = List.of(EspConfig.Role.SANDBOX, EspConfig.Role.ANALYTICS,
      EspConfig.Role.ROUTER, EspConfig.Role.WEBHOOKS, EspConfig.Role.INGRESS, EspConfig.Role.CAMPAIGNS);

  private final Vertx vertx;
  private final EspConfig config;
  private final Pool pool;
  private final OpsChecks checks;
  private final List<RoleModule> started = new ArrayList<>();
  private final List<String> httpDeployments = new ArrayList<>();
  private RoleContext context;

  private RoleRuntime(Vertx vertx, EspConfig config, Pool pool, OpsChecks checks) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.checks = checks;
  }

  /** Every role module on the classpath, keyed by role. */
  public static List<RoleModule> discover() {
    List<RoleModule> all = new ArrayList<>();
    ServiceLoader.load(RoleModule.class).forEach(all::add);
    return all;
  }

  /** The selected modules of {@code available}, validated ({@link RoleModule#configure}) and ordered. */
  public static List<RoleModule> select(EspConfig config, List<RoleModule> available) {
    List<RoleModule> selected = new ArrayList<>();
    for (RoleModule m : available) {
      if (config.runs(m.role())) {
        m.configure(config);
        selected.add(m);
      }
    }
    selected.sort(Comparator.comparingInt(m -> START_ORDER.indexOf(m.role())));
    return selected;
  }

  /**
   * Starts the given (already configured) modules and serves HTTP on {@code config.httpPort()}.
   * Kafka must be reachable at {@code config.kafka()} and the database migrated.
   */
  public static Future<RoleRuntime> start(Vertx vertx, EspConfig config, PrometheusMeterRegistry registry,
                                          List<RoleModule> modules) {
    Pool pool = Db.pool(vertx, config.database());
    OpsChecks checks = new OpsChecks(vertx, config, pool, registry);
    RoleRuntime rt = new RoleRuntime(vertx, config, pool, checks);
    Services services = new Services();
    services.register(ProviderHealth.class, new ProviderHealth());
    services.register(ApiKeyAuth.class, new ApiKeyAuth(pool));
    HttpRoutes routes = new HttpRoutes();
    rt.context = new RoleContext(vertx, config, pool, new Topics(config.kafka().topicPrefix()), registry, routes,
        services);
    services.register(ChunkGates.class, new ChunkGates());
    for (WeightSourceFactory f : ServiceLoader.load(WeightSourceFactory.class)) {
      WeightSource source = f.create(rt.context);
      if (source != null) {
        services.register(WeightSource.class, source);
      }
    }
    for (SharedServiceProvider p : ServiceLoader.load(SharedServiceProvider.class)) {
      p.register(rt.context);
    }
    Future<Void> chain = Future.succeededFuture();
    for (RoleModule m : modules) {
      chain = chain.compose(v -> m.start(rt.context).onSuccess(x -> {
        rt.started.add(m);
        log.info("role {} started", m.role().wire());
      }));
    }
    return chain
        .compose(v -> rt.deployHttp(routes))
        .map(v -> rt)
        .recover(err -> rt.stop().transform(x -> Future.failedFuture(err)));
  }

  private Future<Void> deployHttp(HttpRoutes routes) {
    int instances = config.reader().integer("ESP_HTTP_INSTANCES", Math.max(1, Runtime.getRuntime().availableProcessors()),
        1, 64);
    return vertx.deployVerticle(() -> new HttpVerticle(config.httpPort(), routes, checks),
            new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> {
          httpDeployments.add(id);
          log.info("http: send API, webhooks, dashboard and /metrics on http://0.0.0.0:{} ({} event loops)",
              config.httpPort(), instances);
        })
        .mapEmpty();
  }

  /**
   * Every {@code "METHOD /path"} the main HTTP port routes to a handler (Vert.x path syntax,
   * {@code /v1/messages/:id}), read from a router built exactly as each HTTP instance builds its own:
   * what the OpenAPI document must describe. Filters registered for every method (auth guards such as
   * {@code /admin/*}) are not operations and are left out; sub-routers are walked under their prefix.
   */
  public List<String> httpOperations() {
    Router router = Router.router(vertx);
    checks.mount(router);
    context.routes().applyTo(router);
    List<String> ops = new ArrayList<>();
    collectOperations(router, "", ops);
    return ops;
  }

  private static void collectOperations(Router router, String prefix, List<String> ops) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (route.getSubRouter() != null) {
        String mount = path == null ? "" : path.replaceAll("/?\\*?$", "");
        collectOperations(route.getSubRouter(), prefix + mount, ops);
      } else if (path != null && route.methods() != null && !route.methods().isEmpty()) {
        for (HttpMethod m : route.methods()) {
          ops.add(m.name() + " " + prefix + path);
        }
      }
    }
  }

  public RoleContext context() {
    return context;
  }

  public Pool pool() {
    return pool;
  }

  /**
   * Stops taking HTTP requests first, then stops the roles in reverse start order (each finishes or
   * hands back its in-flight work and commits offsets), then closes the pool.
   */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (String id : httpDeployments) {
      chain = chain.compose(v -> vertx.undeploy(id).otherwiseEmpty());
    }
    List<RoleModule> reverse = new ArrayList<>(started);
    java.util.Collections.reverse(reverse);
    for (RoleModule m : reverse) {
      chain = chain.compose(v -> m.stop()
          .onSuccess(x -> log.info("role {} stopped", m.role().wire()))
          .onFailure(e -> log.warn("role {} did not stop cleanly: {}", m.role().wire(), e.toString()))
          .otherwiseEmpty());
    }
    started.clear();
    httpDeployments.clear();
    return chain.compose(v -> checks.close()).compose(v -> pool.close()).otherwiseEmpty();
  }
}
