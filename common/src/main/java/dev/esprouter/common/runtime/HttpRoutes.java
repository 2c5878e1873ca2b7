package dev.esprouter.common.runtime;

import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The routes of the main HTTP port ({@code ESP_HTTP_PORT}), contributed by the roles. The app runs
 * several instances of its HTTP verticle (one per event loop); each builds its own {@link Router}
 * and applies every mount on its own event loop, so a mount must only capture thread-safe state
 * (the pool, a shared Kafka producer, caches built for concurrency).
 */
public final class HttpRoutes {

  private final List<Consumer<Router>> mounts = new CopyOnWriteArrayList<>();

  public void mount(Consumer<Router> mount) {
    mounts.add(mount);
  }

  public void applyTo(Router router) {
    for (Consumer<Router> m : mounts) {
      m.accept(router);
    }
  }
}
